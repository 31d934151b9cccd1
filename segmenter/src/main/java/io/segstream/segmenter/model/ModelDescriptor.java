package io.segstream.segmenter.model;

import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.Taxonomy;
import java.util.List;
import java.util.Objects;

/**
 * How to feed a model and read its answer. The defaults ({@link #DEEPLAB}) fit Google's DeepLab
 * layout: raw RGB uint8 in (normalised inside the graph), integer labels out, at the frame's own
 * size, Cityscapes classes. A {@code segstream-model.yaml} beside the model changes any of it
 * ({@link DescriptorFile}).
 *
 * @param input       the signature's input tensor
 * @param inputType   what it takes
 * @param mean        per RGB channel, on the 0-255 scale, subtracted before dividing by {@code std} (float32 input)
 * @param std         per RGB channel, on the 0-255 scale
 * @param size        native size, a resize to a fixed size, or tiles of a fixed size
 * @param output      the signature's output tensor
 * @param outputKind  class ids per pixel, or scores per class per pixel (the class is their arg-max)
 * @param taxonomy    the classes' names and palette colours, by id
 */
public record ModelDescriptor(String input, InputType inputType, float[] mean, float[] std, SizePolicy size,
                              String output, OutputKind outputKind, Taxonomy taxonomy) {

    public enum InputType { UINT8, FLOAT32 }

    public enum OutputKind { LABELS, LOGITS }

    /** How pictures are sized for the model; the mask always comes back at the frame's size. */
    public record SizePolicy(Mode mode, int width, int height) {

        public enum Mode {
            /** The frame as it is: for models that take any size. */
            NATIVE,
            /** Resized to width x height (bilinear); labels resized back (nearest). */
            RESIZE,
            /** Cut into width x height tiles covering the frame, run as a batch, stitched back. */
            TILES
        }

        public static final SizePolicy NATIVE_SIZE = new SizePolicy(Mode.NATIVE, 0, 0);

        public SizePolicy {
            Objects.requireNonNull(mode, "mode");
            if (mode != Mode.NATIVE && (width < 1 || height < 1)) {
                throw new IllegalArgumentException("size " + mode.name().toLowerCase() + " needs a width and a height");
            }
        }
    }

    public static final ModelDescriptor DEEPLAB = new ModelDescriptor(ModelSignature.INPUT, InputType.UINT8,
            new float[] {0, 0, 0}, new float[] {1, 1, 1}, SizePolicy.NATIVE_SIZE, ModelSignature.LABELS,
            OutputKind.LABELS, Cityscapes.TAXONOMY);

    public ModelDescriptor {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(outputKind, "outputKind");
        Objects.requireNonNull(taxonomy, "taxonomy");
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std take three values (R, G, B)");
        }
        for (float v : std) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("std values must be > 0");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** The same descriptor with another size policy. */
    public ModelDescriptor withSize(SizePolicy policy) {
        return new ModelDescriptor(input, inputType, mean, std, policy, output, outputKind, taxonomy);
    }

    /** The same descriptor reading another output. */
    public ModelDescriptor withOutput(String name, OutputKind kind) {
        return new ModelDescriptor(input, inputType, mean, std, size, name, kind, taxonomy);
    }

    /** Names of the tensors it uses, for messages. */
    List<String> tensors() {
        return List.of(input, output);
    }
}
