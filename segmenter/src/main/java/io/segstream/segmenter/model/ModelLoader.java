package io.segstream.segmenter.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads a model from a path: a SavedModel directory (tag serve, signature serving_default, input
 * image uint8 [N,H,W,3], output labels int64 [N,H,W]) or a frozen DeepLab GraphDef (.pb), which is
 * converted once to a SavedModel in the cache directory. How to feed it and read its answer comes
 * from its descriptor ({@link ModelDescriptor}; DeepLab's layout and Cityscapes by default).
 */
public final class ModelLoader {

    private final Path cacheDir;
    private final DeviceChoice device;
    private final Optional<Path> descriptorFile;

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
        this.cacheDir = cacheDir;
        this.device = device;
        this.descriptorFile = descriptorFile;
    }

    public SegmentationModel load(Path path) {
        if (!Files.exists(path)) {
            throw new InvalidModelException("model " + path + " does not exist: give a SavedModel directory or a frozen .pb");
        }
        ModelDescriptor descriptor = descriptorFile.map(DescriptorFile::read).orElseGet(() -> DescriptorFile.forModel(path));
        if (Files.isDirectory(path)) {
            if (!Files.isRegularFile(path.resolve("saved_model.pb"))) {
                throw new InvalidModelException("model directory " + path + " holds no saved_model.pb: it is not a SavedModel");
            }
            return DjlModel.load(idOf(path), descriptor, path, device);
        }
        if (path.getFileName().toString().endsWith(".pb")) {
            try {
                return DjlModel.load(idOf(path), descriptor, new FrozenGraphConverter(cacheDir).savedModelFor(path), device);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot convert the frozen graph " + path + " in " + cacheDir, e);
            }
        }
        throw new InvalidModelException("model " + path + " is neither a SavedModel directory nor a frozen graph (.pb)");
    }

    static String idOf(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".pb") ? name.substring(0, name.length() - 3) : name;
    }
}
