package io.segstream.segmenter.model;

import io.segstream.protocol.Cityscapes;
import io.segstream.segmenter.catalog.CatalogEntry;
import io.segstream.segmenter.catalog.ModelArchive;
import io.segstream.segmenter.catalog.ModelCatalog;
import io.segstream.segmenter.catalog.ModelDownloader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Loads a model from a path: a SavedModel directory (tag serve, signature serving_default, input
 * image uint8 [N,H,W,3], output labels int64 [N,H,W]) or a frozen DeepLab GraphDef (.pb), which is
 * converted once to a SavedModel in the cache directory. How to feed it and read its answer comes
 * from its descriptor ({@link ModelDescriptor}; DeepLab's layout and Cityscapes by default).
 */
public final class ModelLoader {

    /**
     * How a catalog model is fed: the DeepLab layout, its classes (Cityscapes: every catalog entry is
     * a Cityscapes zoo graph), frames fitted into its crop ({@code auto}, which takes the crop from the graph).
     */
    static final ModelDescriptor CATALOG_DESCRIPTOR = ModelDescriptor.DEEPLAB.withClasses(Cityscapes.TAXONOMY);

    private final Path cacheDir;
    private final DeviceChoice device;
    private final Optional<Path> descriptorFile;
    private final UnaryOperator<ModelDescriptor> overrides;

    /** A loader that runs models on the first GPU TensorFlow sees, else on the CPU. */
    public ModelLoader(Path cacheDir) {
        this(cacheDir, DeviceChoice.AUTO);
    }

    public ModelLoader(Path cacheDir, DeviceChoice device) {
        this(cacheDir, device, Optional.empty());
    }

    /**
     * A loader that reads the model descriptor from {@code descriptorFile} when given, else from
     * beside the model ({@link DescriptorFile#beside}), else takes the DeepLab defaults.
     */
    public ModelLoader(Path cacheDir, DeviceChoice device, Optional<Path> descriptorFile) {
        this(cacheDir, device, descriptorFile, UnaryOperator.identity());
    }

    /** As above, with {@code overrides} applied to the descriptor (command-line options over the file's). */
    public ModelLoader(
            Path cacheDir,
            DeviceChoice device,
            Optional<Path> descriptorFile,
            UnaryOperator<ModelDescriptor> overrides) {
        this.cacheDir = cacheDir;
        this.device = device;
        this.descriptorFile = descriptorFile;
        this.overrides = overrides;
    }

    private ModelDescriptor descriptor(Path model) {
        return overrides.apply(
                descriptorFile.map(DescriptorFile::read).orElseGet(() -> DescriptorFile.forModel(model)));
    }

    public SegmentationModel load(Path path) {
        if (!Files.exists(path)) {
            Optional<CatalogEntry> entry = ModelCatalog.builtIn().find(path.toString());
            if (entry.isPresent()) {
                return loadPulled(entry.get());
            }
            throw new InvalidModelException(
                    "model " + path + " does not exist: give a SavedModel directory, a frozen .pb, "
                            + "a .tar.gz holding one, or a catalog name (segstream models list)");
        }
        String file = path.getFileName().toString();
        if (Files.isRegularFile(path) && (file.endsWith(".tar.gz") || file.endsWith(".tgz"))) {
            return loadArchive(path, file.substring(0, file.indexOf('.')));
        }
        ModelDescriptor descriptor = descriptor(path);
        if (Files.isDirectory(path)) {
            if (!Files.isRegularFile(path.resolve("saved_model.pb"))) {
                throw new InvalidModelException(
                        "model directory " + path + " holds no saved_model.pb: it is not a SavedModel");
            }
            return DjlModel.load(idOf(path), descriptor, path, device);
        }
        if (path.getFileName().toString().endsWith(".pb")) {
            try {
                return DjlModel.load(
                        idOf(path), descriptor, new FrozenGraphConverter(cacheDir).savedModelFor(path), device);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot convert the frozen graph " + path + " in " + cacheDir, e);
            }
        }
        throw new InvalidModelException(
                "model " + path + " is neither a SavedModel directory nor a frozen graph (.pb)");
    }

    private SegmentationModel loadPulled(CatalogEntry entry) {
        try {
            Path saved = new ModelDownloader(cacheDir, new FrozenGraphConverter(cacheDir))
                    .pulled(entry)
                    .orElseThrow(() -> new InvalidModelException("model "
                            + entry.name() + " is in the catalog but not in the cache " + cacheDir
                            + ": run segstream models pull "
                            + entry.name() + " (it downloads " + entry.url() + ")"));
            ModelDescriptor descriptor =
                    overrides.apply(descriptorFile.map(DescriptorFile::read).orElse(CATALOG_DESCRIPTOR));
            return DjlModel.load(entry.name(), descriptor, saved, device);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cache of model " + entry.name(), e);
        }
    }

    /** A .tar.gz holding a frozen graph: unpacked once into the cache, keyed by its SHA-256. */
    private SegmentationModel loadArchive(Path archive, String id) {
        try {
            Path dir = cacheDir.resolve("archives").resolve(ModelArchive.sha256(archive));
            Path graph;
            try {
                graph = ModelArchive.unpackFrozenGraph(archive, dir);
            } catch (IOException e) {
                throw new InvalidModelException("model " + archive + ": " + e.getMessage());
            }
            ModelDescriptor descriptor = descriptor(archive);
            return DjlModel.load(id, descriptor, new FrozenGraphConverter(cacheDir).savedModelFor(graph), device);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the model archive " + archive + " in " + cacheDir, e);
        }
    }

    static String idOf(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".pb") ? name.substring(0, name.length() - 3) : name;
    }
}
