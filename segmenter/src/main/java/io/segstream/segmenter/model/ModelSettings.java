package io.segstream.segmenter.model;

import io.segstream.protocol.Scale;
import io.segstream.runtime.Setting;
import java.nio.file.Path;

/** How a command loads and feeds its model: the settings of {@link ModelLoader} and the descriptor's overrides. */
public final class ModelSettings {

    private ModelSettings() {}

    public static final Setting<DeviceChoice> DEVICE = Setting.of(
            "device",
            "gpu|cpu|auto",
            "auto",
            "Where the model runs; auto takes the first GPU TensorFlow sees, else the CPU.",
            Setting.oneOf(DeviceChoice.class));
    public static final Setting<Path> MODEL_CACHE = Setting.described(
            "model-cache", "DIR", "~/.cache/segstream/models", "Where converted models are kept.", Setting.path());
    public static final Setting<Path> MODEL_DESCRIPTOR = Setting.described(
            "model-descriptor",
            "FILE",
            "segstream-model.yaml beside the model, else the repository's descriptor made for its graph (by SHA-256),"
                    + " else DeepLab's layout",
            "How to feed the model and read it (YAML).",
            Setting.path());
    public static final Setting<Scale> SCALE = Setting.described(
            "scale",
            "S",
            "the descriptor's, else 1",
            "Inference scale of the frames: a factor (2) or a width (912px), capped by a model's fixed crop;"
                    + " overrides the descriptor's.",
            ModelSettings::scale);
    public static final Setting<ModelDescriptor.SizePolicy.Mode> SIZE_POLICY = Setting.described(
            "size-policy",
            "auto|native|fit|resize|tiles",
            "the descriptor's, else auto: fit into the graph's fixed crop when it has one, else native",
            "How frames are fitted to the model; overrides the descriptor's.",
            Setting.oneOf(ModelDescriptor.SizePolicy.Mode.class));

    /** The default cache: ~/.cache/segstream/models. */
    public static Path defaultCache() {
        return Path.of(System.getProperty("user.home"), ".cache", "segstream", "models");
    }

    private static Scale scale(String v) {
        try {
            return Scale.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^scale: ", "must be "));
        }
    }
}
