package io.segstream.segmenter.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Where inference runs: {@code gpu}, {@code cpu}, or {@code auto} (the first GPU TensorFlow sees, else the CPU). */
public enum DeviceChoice {
    AUTO,
    GPU,
    CPU;

    public static DeviceChoice parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device must be gpu, cpu or auto, got '" + text + "'");
        }
    }

    /**
     * The DJL device to load on.
     *
     * @throws InvalidModelException for {@code gpu} when TensorFlow sees no GPU
     */
    Device resolve() {
        if (this == CPU) {
            return Device.cpu();
        }
        TensorFlowNatives.prepare();
        int gpus = Engine.getEngine("TensorFlow").getGpuCount();
        if (this == GPU && gpus == 0) {
            throw new InvalidModelException("--device gpu, but TensorFlow sees no GPU: this build uses the CPU "
                    + "TensorFlow natives (build with ./mvnw -Pgpu for the CUDA ones) or no CUDA device is visible");
        }
        return gpus > 0 ? Device.gpu() : Device.cpu();
    }
}
