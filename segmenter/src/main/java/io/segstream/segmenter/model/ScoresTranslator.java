package io.segstream.segmenter.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.util.ArrayList;
import java.util.List;

/** Feeds pictures like {@link BatchTranslator} and reads the model's logits [N,H,W,C] as {@link Scores}. */
final class ScoresTranslator implements NoBatchifyTranslator<List<RgbImage>, List<Scores>> {

    private final BatchTranslator input;
    private final String logits;

    ScoresTranslator(ModelDescriptor descriptor, String logits) {
        this.input = new BatchTranslator(descriptor);
        this.logits = logits;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<RgbImage> images) {
        return input.processInput(ctx, images);
    }

    @Override
    public List<Scores> processOutput(TranslatorContext ctx, NDList outputs) {
        NDArray named = outputs.get(logits);
        if (named == null || named.getShape().dimension() != 4) {
            throw new InvalidModelException("the model returned no '" + logits + "' logits [N,H,W,C], only "
                    + outputs.stream()
                            .map(a -> a.getName() + " " + a.getDataType() + " " + a.getShape())
                            .toList());
        }
        Shape shape = named.getShape();
        int n = (int) shape.get(0);
        int height = (int) shape.get(1);
        int width = (int) shape.get(2);
        int classes = (int) shape.get(3);
        float[] all = named.toType(DataType.FLOAT32, false).toFloatArray();
        int plane = width * height * classes;
        List<Scores> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] one = new float[plane];
            System.arraycopy(all, i * plane, one, 0, plane);
            out.add(new Scores(width, height, classes, one));
        }
        return out;
    }
}
