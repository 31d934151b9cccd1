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

/** A SavedModel running on DJL's TensorFlow engine (GPU when TensorFlow sees one, CPU otherwise). */
final class DjlModel implements SegmentationModel {

    private final String id;
    private final Taxonomy taxonomy;
    private final ZooModel<RgbImage, LabelMap> model;

    private DjlModel(String id, Taxonomy taxonomy, ZooModel<RgbImage, LabelMap> model) {
        this.id = id;
        this.taxonomy = taxonomy;
        this.model = model;
    }

    static DjlModel load(String id, Taxonomy taxonomy, Path savedModelDir) {
        TensorFlowNatives.prepare();
        Criteria<RgbImage, LabelMap> criteria = Criteria.builder()
                .setTypes(RgbImage.class, LabelMap.class)
                .optModelPath(savedModelDir)
                .optEngine("TensorFlow")
                .optOption("Tags", ModelSignature.TAG)
                .optOption("SignatureDefKey", ModelSignature.KEY)
                .optTranslator(new LabelTranslator())
                .build();
        ZooModel<RgbImage, LabelMap> model;
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
        return new DjlModel(id, taxonomy, model);
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
    public SegmentationModel.Predictor newPredictor() {
        ai.djl.inference.Predictor<RgbImage, LabelMap> predictor = model.newPredictor();
        return new SegmentationModel.Predictor() {
            @Override
            public LabelMap segment(RgbImage image) {
                try {
                    return predictor.predict(image);
                } catch (TranslateException e) {
                    throw new IllegalStateException("model " + id + " failed on a " + image.width() + "x" + image.height()
                            + " image: " + e.getMessage(), e);
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
