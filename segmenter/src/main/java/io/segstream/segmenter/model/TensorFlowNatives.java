package io.segstream.segmenter.model;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes DJL's TensorFlow engine run offline, on the natives of the Maven jar
 * org.tensorflow:tensorflow-core-native (classifier linux-x86_64, or linux-x86_64-gpu).
 *
 * <p>Left alone, DJL looks for its own native bundle and, finding none, downloads TensorFlow at
 * run time. Instead, JavaCPP unpacks and loads the natives from the Maven jar on the class path
 * (once, into its cache: ~/.javacpp/cache, or -Dorg.bytedeco.javacpp.cachedir), and DJL is told
 * where they are through TENSORFLOW_LIBRARY_PATH, with ai.djl.offline=true so that it never
 * reaches for the network. Call {@link #prepare()} before the first DJL call.
 */
public final class TensorFlowNatives {

    private static final Logger LOG = LoggerFactory.getLogger(TensorFlowNatives.class);
    private static Path directory;

    private TensorFlowNatives() {}

    /** Loads the natives from the class path and points DJL at them; returns their directory. */
    public static synchronized Path prepare() {
        if (directory != null) {
            return directory;
        }
        System.setProperty("ai.djl.offline", "true");
        String jni;
        try {
            jni = Loader.load(org.tensorflow.internal.c_api.global.tensorflow.class);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException(
                    "cannot load the TensorFlow natives from the class path: is "
                            + "org.tensorflow:tensorflow-core-native with the classifier of this platform ("
                            + Loader.getPlatform() + ") on it? " + e.getMessage(),
                    e);
        }
        Path dir = Path.of(jni).getParent();
        if (!Files.isRegularFile(dir.resolve(System.mapLibraryName("jnitensorflow")))) {
            throw new IllegalStateException("TensorFlow natives loaded from " + jni + " but " + dir + " holds no "
                    + System.mapLibraryName("jnitensorflow"));
        }
        System.setProperty("TENSORFLOW_LIBRARY_PATH", dir.toString());
        LOG.debug("TensorFlow natives for DJL in {}", dir);
        directory = dir;
        return dir;
    }
}
