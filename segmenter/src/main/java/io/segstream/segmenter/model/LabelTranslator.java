package io.segstream.segmenter.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.segstream.protocol.LabelMap;
import java.nio.ByteBuffer;

/**
 * Feeds a picture as uint8 [1,H,W,3] and turns the model's int64 labels [1,H,W] into a
 * {@link LabelMap}; native temporaries die inside predict().
 */
final class LabelTranslator implements NoBatchifyTranslator<RgbImage, LabelMap> {

    @Override
    public NDList processInput(TranslatorContext ctx, RgbImage image) {
        NDArray input = ctx.getNDManager().create(ByteBuffer.wrap(image.rgb()),
                new Shape(1, image.height(), image.width(), 3), DataType.UINT8);
        input.setName(ModelSignature.INPUT);
        return new NDList(input);
    }

    @Override
    public LabelMap processOutput(TranslatorContext ctx, NDList outputs) {
        NDArray labels = labelsOf(outputs);
        Shape shape = labels.getShape();
        int height = (int) shape.get(shape.dimension() - 2);
        int width = (int) shape.get(shape.dimension() - 1);
        byte[] bytes = labels.toType(DataType.UINT8, false).toByteArray();
        return new LabelMap(width, height, bytes);
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
