package io.segstream.segmenter.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.segstream.protocol.LabelMap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds pictures of one size as one uint8 [N,H,W,3] tensor and splits the model's integer labels
 * [N,H,W] into one {@link LabelMap} each; native temporaries die inside predict().
 */
final class BatchTranslator implements NoBatchifyTranslator<List<RgbImage>, List<LabelMap>> {

    @Override
    public NDList processInput(TranslatorContext ctx, List<RgbImage> images) {
        RgbImage first = images.get(0);
        int frame = first.width() * first.height() * 3;
        ByteBuffer batch = ByteBuffer.allocateDirect(frame * images.size());
        for (RgbImage image : images) {
            if (image.width() != first.width() || image.height() != first.height()) {
                throw new IllegalArgumentException("a batch takes pictures of one size: " + first.width() + "x"
                        + first.height() + " and " + image.width() + "x" + image.height());
            }
            batch.put(image.rgb());
        }
        batch.flip();
        NDArray input = ctx.getNDManager().create(batch, new Shape(images.size(), first.height(), first.width(), 3),
                DataType.UINT8);
        input.setName(ModelSignature.INPUT);
        return new NDList(input);
    }

    @Override
    public List<LabelMap> processOutput(TranslatorContext ctx, NDList outputs) {
        NDArray labels = labelsOf(outputs);
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

    private static NDArray labelsOf(NDList outputs) {
        NDArray named = outputs.get(ModelSignature.LABELS);
        if (named != null) {
            return named;
        }
        return outputs.stream()
                .filter(a -> a.getDataType() == DataType.INT64 || a.getDataType() == DataType.INT32)
                .findFirst()
                .orElseThrow(() -> new InvalidModelException("the model returned no integer labels output, only "
                        + outputs.stream().map(a -> a.getName() + " " + a.getDataType() + " " + a.getShape()).toList()));
    }
}
