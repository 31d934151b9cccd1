package io.segstream.segmenter.worker;

import io.segstream.protocol.LabelMap;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.Scale;
import io.segstream.protocol.Taxonomy;
import io.segstream.segmenter.model.Fitting;
import io.segstream.segmenter.model.GraphFacts;
import io.segstream.segmenter.model.ModelDescriptor;
import io.segstream.segmenter.model.ModelInfo;
import io.segstream.segmenter.model.RgbImage;
import io.segstream.segmenter.model.SegmentationModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in model for unit tests of the worker: two classes, a pixel is class 1 where its red
 * byte is above 127; it remembers the size of every batch it was given. (It lives here, not in
 * testkit, because testkit cannot depend on the segmenter: the segmenter's tests depend on testkit.)
 */
final class FakeModel implements SegmentationModel {

    final List<Integer> batches = new CopyOnWriteArrayList<>();
    /** How long the model takes a frame: a machine the cameras overload. */
    volatile long millisPerFrame;

    private final ModelDescription description = ModelDescription.of("fake", Taxonomy.neutral(2));

    @Override
    public String id() {
        return "fake";
    }

    @Override
    public ModelDescription description() {
        return description;
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo(
                new GraphFacts(
                        Map.of("image", "uint8 [?,?,?,3]"),
                        Map.of("labels", "int64 [?,?,?]"),
                        "uint8",
                        Optional.empty(),
                        OptionalInt.of(2),
                        Optional.empty()),
                Fitting.NATIVE,
                "the fake",
                ModelDescriptor.OutputKind.LABELS,
                "labels");
    }

    @Override
    public int maxBatch() {
        return 16;
    }

    @Override
    public String device() {
        return "cpu()";
    }

    @Override
    public Predictor newPredictor() {
        return new Predictor() {
            @Override
            public List<LabelMap> segment(List<RgbImage> images) {
                batches.add(images.size());
                try {
                    Thread.sleep(millisPerFrame * images.size());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return images.stream().map(FakeModel::labels).toList();
            }

            @Override
            public List<LabelMap> segment(List<RgbImage> images, Scale scale) {
                return segment(images);
            }

            @Override
            public void close() {}
        };
    }

    private static LabelMap labels(RgbImage image) {
        byte[] out = new byte[image.width() * image.height()];
        for (int p = 0; p < out.length; p++) {
            out[p] = (byte) ((image.rgb()[p * 3] & 0xFF) > 127 ? 1 : 0);
        }
        return new LabelMap(image.width(), image.height(), out);
    }

    @Override
    public void close() {}
}
