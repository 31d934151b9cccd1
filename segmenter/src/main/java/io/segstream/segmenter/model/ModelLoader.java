package io.segstream.segmenter.model;

import io.segstream.protocol.Cityscapes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a model from a path: a SavedModel directory (tag serve, signature serving_default, input
 * image uint8 [N,H,W,3], output labels int64 [N,H,W]) or a frozen DeepLab GraphDef (.pb), which is
 * converted once to a SavedModel in the cache directory. The taxonomy is Cityscapes.
 */
public final class ModelLoader {

    private final Path cacheDir;
    private final DeviceChoice device;

    /** A loader that runs models on the first GPU TensorFlow sees, else on the CPU. */
    public ModelLoader(Path cacheDir) {
        this(cacheDir, DeviceChoice.AUTO);
    }

    public ModelLoader(Path cacheDir, DeviceChoice device) {
        this.cacheDir = cacheDir;
        this.device = device;
    }

    public SegmentationModel load(Path path) {
        if (!Files.exists(path)) {
            throw new InvalidModelException("model " + path + " does not exist: give a SavedModel directory or a frozen .pb");
        }
        if (Files.isDirectory(path)) {
            if (!Files.isRegularFile(path.resolve("saved_model.pb"))) {
                throw new InvalidModelException("model directory " + path + " holds no saved_model.pb: it is not a SavedModel");
            }
            return DjlModel.load(idOf(path), Cityscapes.TAXONOMY, path, device);
        }
        if (path.getFileName().toString().endsWith(".pb")) {
            try {
                return DjlModel.load(idOf(path), Cityscapes.TAXONOMY, new FrozenGraphConverter(cacheDir).savedModelFor(path), device);
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
