package io.segstream.segmenter.model;

import io.segstream.protocol.Checks;
import io.segstream.protocol.Scale;
import io.segstream.protocol.Size;
import io.segstream.protocol.Taxonomy;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to feed a model and read its answer, as its user describes it. The defaults ({@link #DEEPLAB})
 * fit Google's DeepLab layout: raw RGB uint8 in (normalised inside the graph), integer labels out,
 * frames fitted to the graph's crop when it has one, classes as many as the graph scores (Cityscapes'
 * names for 19). A {@code segstream-model.yaml} beside the model changes any of it ({@link DescriptorFile}).
 *
 * @param id          the model id in masks and statistics; empty: the model's file name
 * @param input       the signature's input tensor
 * @param inputType   what it takes
 * @param mean        per RGB channel, on the 0-255 scale, subtracted before dividing by {@code std} (float32 input)
 * @param std         per RGB channel, on the 0-255 scale
 * @param size        how frames are fitted to the model
 * @param scale       the inference scale of a frame (a camera may set its own)
 * @param output      the signature's output tensor
 * @param outputKind  class ids per pixel, or scores per class per pixel (the class is their arg-max)
 * @param classes     the classes' names and colours, by id; empty: from the graph
 * @param groups      driving group name to class names; a group not given takes Cityscapes' names where the classes have them
 */
public record ModelDescriptor(
        Optional<String> id,
        String input,
        InputType inputType,
        float[] mean,
        float[] std,
        SizePolicy size,
        Scale scale,
        String output,
        OutputKind outputKind,
        Optional<Taxonomy> classes,
        Map<String, List<String>> groups) {

    public enum InputType {
        UINT8,
        FLOAT32
    }

    public enum OutputKind {
        LABELS,
        LOGITS
    }

    /**
     * How frames are fitted to the model; the mask always comes back at the frame's size.
     *
     * @param mode    the policy
     * @param size    for {@code resize}: the input size; for {@code fit} and {@code tiles}: the crop, when the
     *                graph's own is not to be taken (or the graph shows none)
     * @param overlap for {@code tiles}: the least fraction of a tile its neighbour shares
     */
    public record SizePolicy(Mode mode, Optional<Size> size, double overlap) {

        public enum Mode {
            /** {@code fit} when the graph has a fixed crop, else {@code native}. */
            AUTO,
            /** The frame at its scale, as it is: for models that take any size. */
            NATIVE,
            /** Resized to fit inside the crop keeping its aspect ratio (whole-frame context). */
            FIT,
            /** Resized to exactly the given size (bilinear); labels resized back (nearest). */
            RESIZE,
            /** Cut into overlapping tiles of the crop's size, blended back without seams. */
            TILES
        }

        public static final double DEFAULT_OVERLAP = 0.25;
        public static final SizePolicy AUTO_SIZE = new SizePolicy(Mode.AUTO, Optional.empty(), DEFAULT_OVERLAP);

        public SizePolicy {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(size, "size");
            if (mode == Mode.RESIZE && size.isEmpty()) {
                throw new IllegalArgumentException("size policy resize needs a width and a height");
            }
            if (!(overlap >= 0 && overlap <= 0.75)) {
                throw new IllegalArgumentException("size overlap must be within 0..0.75, got " + overlap);
            }
        }

        public static SizePolicy of(Mode mode, int width, int height) {
            return new SizePolicy(mode, Optional.of(new Size(width, height)), DEFAULT_OVERLAP);
        }

        public static SizePolicy of(Mode mode) {
            return new SizePolicy(mode, Optional.empty(), DEFAULT_OVERLAP);
        }
    }

    public static final ModelDescriptor DEEPLAB = new ModelDescriptor(
            Optional.empty(),
            ModelSignature.INPUT,
            InputType.UINT8,
            new float[] {0, 0, 0},
            new float[] {1, 1, 1},
            SizePolicy.AUTO_SIZE,
            Scale.ONE,
            ModelSignature.LABELS,
            OutputKind.LABELS,
            Optional.empty(),
            Map.of());

    public ModelDescriptor {
        Checks.nonNull("id input inputType size scale output", id, input, inputType, size, scale, output);
        Checks.nonNull("outputKind classes", outputKind, classes);
        groups = Map.copyOf(groups);
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
        return new ModelDescriptor(id, input, inputType, mean, std, policy, scale, output, outputKind, classes, groups);
    }

    /** The same descriptor with another inference scale. */
    public ModelDescriptor withScale(Scale s) {
        return new ModelDescriptor(id, input, inputType, mean, std, size, s, output, outputKind, classes, groups);
    }

    /** The same descriptor with these classes. */
    public ModelDescriptor withClasses(Taxonomy taxonomy) {
        return new ModelDescriptor(
                id, input, inputType, mean, std, size, scale, output, outputKind, Optional.of(taxonomy), groups);
    }

    /** The same descriptor reading another output. */
    public ModelDescriptor withOutput(String name, OutputKind kind) {
        return new ModelDescriptor(id, input, inputType, mean, std, size, scale, name, kind, classes, groups);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelDescriptor d
                && id.equals(d.id)
                && input.equals(d.input)
                && inputType == d.inputType
                && Arrays.equals(mean, d.mean)
                && Arrays.equals(std, d.std)
                && size.equals(d.size)
                && scale.equals(d.scale)
                && output.equals(d.output)
                && outputKind == d.outputKind
                && classes.equals(d.classes)
                && groups.equals(d.groups);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                id,
                input,
                inputType,
                Arrays.hashCode(mean),
                Arrays.hashCode(std),
                size,
                scale,
                output,
                outputKind,
                classes,
                groups);
    }
}
