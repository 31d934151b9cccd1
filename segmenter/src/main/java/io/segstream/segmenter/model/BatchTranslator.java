package io.segstream.segmenter.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.segstream.protocol.LabelMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds pictures of one size as one uint8 [N,H,W,3] tensor and splits the model's integer labels
 * [N,H,W] into one {@link LabelMap} each; native temporaries die inside predict().
 */
final class BatchTranslator implements NoBatchifyTranslator<List<RgbImage>, List<LabelMap>> {

    private final ModelDescriptor descriptor;

    BatchTranslator(ModelDescriptor descriptor) {
        this.descriptor = descriptor;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<RgbImage> images) {
        RgbImage first = images.get(0);
        for (RgbImage image : images) {
            if (image.width() != first.width() || image.height() != first.height()) {
                throw new IllegalArgumentException("a batch takes pictures of one size: " + first.width() + "x"
                        + first.height() + " and " + image.width() + "x" + image.height());
            }
        }
        Shape shape = new Shape(images.size(), first.height(), first.width(), 3);
        NDArray input = descriptor.inputType() == ModelDescriptor.InputType.UINT8
                ? ctx.getNDManager().create(uint8(images), shape, DataType.UINT8)
                : ctx.getNDManager().create(normalised(images), shape);
        input.setName(descriptor.input());
        return new NDList(input);
    }

    private static ByteBuffer uint8(List<RgbImage> images) {
        RgbImage first = images.get(0);
        ByteBuffer batch = ByteBuffer.allocateDirect(first.width() * first.height() * 3 * images.size());
        images.forEach(i -> batch.put(i.rgb()));
        return batch.flip();
    }

    /** (value - mean) / std per channel, on the 0-255 scale. */
    FloatBuffer normalised(List<RgbImage> images) {
        float[] mean = descriptor.mean();
        float[] std = descriptor.std();
        RgbImage first = images.get(0);
        FloatBuffer batch = ByteBuffer.allocateDirect(4 * first.width() * first.height() * 3 * images.size())
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (RgbImage image : images) {
            byte[] rgb = image.rgb();
            for (int i = 0; i < rgb.length; i++) {
                int c = i % 3;
                batch.put(((rgb[i] & 0xFF) - mean[c]) / std[c]);
            }
        }
        return batch.flip();
    }

    @Override
    public List<LabelMap> processOutput(TranslatorContext ctx, NDList outputs) {
        NDArray labels = descriptor.outputKind() == ModelDescriptor.OutputKind.LOGITS
                ? logitsOf(outputs).argMax(-1)
                : labelsOf(outputs);
        Shape shape = labels.getShape();
        int n = shape.dimension() == 3 ? (int) shape.get(0) : 1;
        int height = (int) shape.get(shape.dimension() - 2);
        int width = (int) shape.get(shape.dimension() - 1);
        byte[] all = labels.toType(DataType.UINT8, false).toByteArray();
        List<LabelMap> out = new ArrayList<>(n);
        int plane = width * height;
        for (int i = 0; i < n; i++) {
            byte[] one = new byte[plane];
            System.arraycopy(all, i * plane, one, 0, plane);
            out.add(new LabelMap(width, height, one));
        }
        return out;
    }

    private NDArray logitsOf(NDList outputs) {
        NDArray named = outputs.get(descriptor.output());
        if (named == null) {
            throw new InvalidModelException("the model returned no '" + descriptor.output() + "' logits output, only "
                    + outputs.stream()
                            .map(a -> a.getName() + " " + a.getDataType() + " " + a.getShape())
                            .toList());
        }
        return named;
    }

    private NDArray labelsOf(NDList outputs) {
        NDArray named = outputs.get(descriptor.output());
        if (named != null) {
            return named;
        }
        return outputs.stream()
                .filter(a -> a.getDataType() == DataType.INT64 || a.getDataType() == DataType.INT32)
                .findFirst()
                .orElseThrow(() -> new InvalidModelException("the model returned no integer labels output, only "
                        + outputs.stream()
                                .map(a -> a.getName() + " " + a.getDataType() + " " + a.getShape())
                                .toList()));
    }
}
