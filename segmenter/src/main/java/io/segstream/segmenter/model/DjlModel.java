package io.segstream.segmenter.model;

import ai.djl.MalformedModelException;

import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.Taxonomy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A SavedModel running on DJL's TensorFlow engine (GPU when TensorFlow sees one, CPU otherwise). */
final class DjlModel implements SegmentationModel {

    private final String id;
    private final Taxonomy taxonomy;
    private final ZooModel<List<RgbImage>, List<LabelMap>> model;
    private final int maxBatch;

    private DjlModel(String id, Taxonomy taxonomy, ZooModel<List<RgbImage>, List<LabelMap>> model, int maxBatch) {
        this.id = id;
        this.taxonomy = taxonomy;
        this.model = model;
        this.maxBatch = maxBatch;
    }

    @SuppressWarnings("unchecked")
    static DjlModel load(String id, Taxonomy taxonomy, Path savedModelDir, DeviceChoice device) {
        TensorFlowNatives.prepare();
        Class<List<RgbImage>> in = (Class<List<RgbImage>>) (Class<?>) List.class;
        Class<List<LabelMap>> out = (Class<List<LabelMap>>) (Class<?>) List.class;
        Criteria<List<RgbImage>, List<LabelMap>> criteria = Criteria.builder()
                .setTypes(in, out)
                .optModelPath(savedModelDir)
                .optEngine("TensorFlow")
                .optDevice(device.resolve())
                .optOption("Tags", ModelSignature.TAG)
                .optOption("SignatureDefKey", ModelSignature.KEY)
                .optTranslator(new BatchTranslator())
                .build();
        ZooModel<List<RgbImage>, List<LabelMap>> model;
        try {
            model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new InvalidModelException("cannot load the SavedModel " + savedModelDir + " (tag " + ModelSignature.TAG
                    + ", signature " + ModelSignature.KEY + "): " + e.getMessage(), e);
        }
        try {
            checkSignature(savedModelDir, model);
        } catch (InvalidModelException e) {
            model.close();
            throw e;
        }
        long batch = model.describeInput().get(0).getValue().get(0);
        return new DjlModel(id, taxonomy, model, batch > 0 ? (int) batch : Integer.MAX_VALUE);
    }

    private static void checkSignature(Path dir, ZooModel<?, ?> model) {
        var inputs = model.describeInput();
        if (inputs == null || inputs.size() != 1 || inputs.get(0).getValue().dimension() != 4
                || inputs.get(0).getValue().get(3) != 3) {
            throw new InvalidModelException("the SavedModel " + dir + " must take one image input uint8 [N,H,W,3], its "
                    + ModelSignature.KEY + " signature takes " + inputs);
        }
        var outputs = model.describeOutput();
        boolean hasLabels = outputs != null && outputs.keys().contains(ModelSignature.LABELS);
        if (!hasLabels) {
            throw new InvalidModelException("the SavedModel " + dir + " has no '" + ModelSignature.LABELS
                    + "' output (int64 [N,H,W]) in its " + ModelSignature.KEY + " signature; it has " + outputs);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Taxonomy taxonomy() {
        return taxonomy;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public String device() {
        return model.getNDManager().getDevice().toString();
    }

    @Override
    public SegmentationModel.Predictor newPredictor() {
        ai.djl.inference.Predictor<List<RgbImage>, List<LabelMap>> predictor = model.newPredictor();
        return new SegmentationModel.Predictor() {
            @Override
            public List<LabelMap> segment(List<RgbImage> images) {
                if (images.isEmpty() || images.size() > maxBatch) {
                    throw new IllegalArgumentException("model " + id + " takes 1 to " + maxBatch + " pictures, got " + images.size());
                }
                try {
                    return predictor.predict(images);
                } catch (TranslateException e) {
                    RgbImage first = images.get(0);
                    throw new IllegalStateException("model " + id + " failed on " + images.size() + " " + first.width()
                            + "x" + first.height() + " image(s): " + e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                predictor.close();
            }
        };
    }

    @Override
    public void close() {
        model.close();
    }

}
