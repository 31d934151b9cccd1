package io.segstream.segmenter.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.DrivingGroups;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.Taxonomy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A SavedModel running on DJL's TensorFlow engine (GPU when TensorFlow sees one, CPU otherwise). */
final class DjlModel implements SegmentationModel {

    private final ModelDescriptor descriptor;
    private final ModelDescription description;
    private final ModelInfo info;
    private final ZooModel<List<RgbImage>, List<LabelMap>> model;
    private final int maxBatch;

    private DjlModel(
            ModelDescriptor descriptor,
            ModelDescription description,
            ModelInfo info,
            ZooModel<List<RgbImage>, List<LabelMap>> model,
            int maxBatch) {
        this.descriptor = descriptor;
        this.description = description;
        this.info = info;
        this.model = model;
        this.maxBatch = maxBatch;
    }

    @SuppressWarnings("unchecked")
    static DjlModel load(String defaultId, ModelDescriptor descriptor, Path savedModelDir, DeviceChoice device) {
        TensorFlowNatives.prepare();
        GraphFacts facts = GraphInspector.inspect(savedModelDir);
        String id = descriptor.id().orElse(ModelIds.fromFileName(defaultId));
        Classes classes = classes(descriptor, facts, savedModelDir);
        Fitting fitting = Fitting.resolve(descriptor.size(), facts.crop());
        ModelDescription description;
        try {
            description = new ModelDescription(
                    id,
                    classes.taxonomy(),
                    groups(descriptor, classes.taxonomy()),
                    facts.crop(),
                    Fitting.sizing(fitting.mode()),
                    descriptor.scale());
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException("model " + id + ": " + e.getMessage(), e);
        }
        Class<List<RgbImage>> in = (Class<List<RgbImage>>) (Class<?>) List.class;
        Class<List<LabelMap>> out = (Class<List<LabelMap>>) (Class<?>) List.class;
        Criteria<List<RgbImage>, List<LabelMap>> criteria = Criteria.builder()
                .setTypes(in, out)
                .optModelPath(savedModelDir)
                .optEngine("TensorFlow")
                .optDevice(device.resolve())
                .optOption("Tags", ModelSignature.TAG)
                .optOption("SignatureDefKey", ModelSignature.KEY)
                .optTranslator(new BatchTranslator(descriptor))
                .build();
        ZooModel<List<RgbImage>, List<LabelMap>> model;
        try {
            model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new InvalidModelException(
                    "cannot load the SavedModel " + savedModelDir + " (tag " + ModelSignature.TAG + ", signature "
                            + ModelSignature.KEY + "): " + e.getMessage(),
                    e);
        }
        try {
            checkSignature(savedModelDir, model, descriptor, classes.taxonomy());
        } catch (InvalidModelException e) {
            model.close();
            throw e;
        }
        long batch = model.describeInput().get(0).getValue().get(0);
        ModelInfo info = new ModelInfo(facts, fitting, classes.source(), descriptor.outputKind(), descriptor.output());
        return new DjlModel(descriptor, description, info, model, batch > 0 ? (int) batch : Integer.MAX_VALUE);
    }

    private record Classes(Taxonomy taxonomy, String source) {}

    /**
     * The descriptor's class list; else as many classes as the graph scores, with Cityscapes' names for 19
     * and neutral names otherwise (a model is never reported in Cityscapes' terms by mistake).
     */
    private static Classes classes(ModelDescriptor descriptor, GraphFacts facts, Path dir) {
        if (descriptor.classes().isPresent()) {
            Taxonomy t = descriptor.classes().get();
            if (facts.classes().isPresent() && facts.classes().getAsInt() != t.size()) {
                throw new InvalidModelException("the graph of " + dir + " scores "
                        + facts.classes().getAsInt() + " classes, but the descriptor names " + t.size());
            }
            return new Classes(t, "the descriptor (" + t.size() + " classes)");
        }
        if (facts.classes().isEmpty()) {
            throw new InvalidModelException("the graph of " + dir + " does not show how many classes it predicts: "
                    + "give its classes in the model descriptor (classes: cityscapes, or a list of {name, color})");
        }
        int n = facts.classes().getAsInt();
        if (n == Cityscapes.TAXONOMY.size()) {
            return new Classes(
                    Cityscapes.TAXONOMY,
                    "Cityscapes (the graph scores 19 classes; give a class list if they are others)");
        }
        if (n > Taxonomy.MAX_CLASSES) {
            throw new InvalidModelException(
                    "the graph of " + dir + " scores " + n + " classes; a mask holds at most " + Taxonomy.MAX_CLASSES);
        }
        return new Classes(
                Taxonomy.neutral(n),
                "neutral names for the " + n + " classes the graph scores "
                        + "(give a class list in the model descriptor to name them)");
    }

    private static DrivingGroups groups(ModelDescriptor descriptor, Taxonomy taxonomy) {
        DrivingGroups defaults = DrivingGroups.byDefaultNames(taxonomy);
        List<List<Integer>> groups = new ArrayList<>();
        for (String group : DrivingGroups.NAMES) {
            List<String> names = descriptor.groups().get(group);
            if (names == null) {
                groups.add(defaults.get(group));
                continue;
            }
            List<Integer> ids = new ArrayList<>();
            for (String name : names) {
                ids.add(taxonomy.byName(name)
                        .orElseThrow(() -> new InvalidModelException("driving group " + group + " names '" + name
                                + "', which is not one of the model's classes"))
                        .id());
            }
            groups.add(ids);
        }
        return new DrivingGroups(groups.get(0), groups.get(1), groups.get(2), groups.get(3));
    }

    private static void checkSignature(Path dir, ZooModel<?, ?> model, ModelDescriptor d, Taxonomy taxonomy) {
        var inputs = model.describeInput();
        boolean inputFits = inputs != null
                && inputs.size() == 1
                && inputs.get(0).getValue().dimension() == 4
                && inputs.get(0).getValue().get(3) == 3
                && (inputs.get(0).getKey() == null
                        || inputs.get(0).getKey().isEmpty()
                        || inputs.get(0).getKey().equals(d.input()));
        if (!inputFits) {
            throw new InvalidModelException("the SavedModel " + dir + " must take one image input '" + d.input() + "' "
                    + d.inputType().name().toLowerCase() + " [N,H,W,3]; its " + ModelSignature.KEY + " signature takes "
                    + inputs);
        }
        var outputs = model.describeOutput();
        String expected =
                d.outputKind() == ModelDescriptor.OutputKind.LABELS ? "int64 [N,H,W]" : "float32 [N,H,W,classes]";
        if (outputs == null || !outputs.keys().contains(d.output())) {
            throw new InvalidModelException("the SavedModel " + dir + " has no '" + d.output() + "' output (" + expected
                    + ") in its " + ModelSignature.KEY + " signature; it has " + outputs);
        }
        Shape shape = outputs.get(d.output());
        int rank = d.outputKind() == ModelDescriptor.OutputKind.LABELS ? 3 : 4;
        if (shape.dimension() != rank) {
            throw new InvalidModelException("the SavedModel " + dir + " output '" + d.output() + "' has shape " + shape
                    + ", but the descriptor reads it as "
                    + d.outputKind().name().toLowerCase() + " " + expected);
        }
        if (rank == 4 && shape.get(3) > 0 && shape.get(3) != taxonomy.size()) {
            throw new InvalidModelException("the SavedModel " + dir + " output '" + d.output() + "' scores "
                    + shape.get(3) + " classes, but the descriptor names " + taxonomy.size());
        }
    }

    @Override
    public String id() {
        return description.model();
    }

    @Override
    public ModelDescription description() {
        return description;
    }

    @Override
    public ModelInfo info() {
        return info;
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
    public Predictor newPredictor() {
        return new FittedPredictor(
                new Runner(),
                info.fitting(),
                description.scale(),
                description.crop(),
                id(),
                description.taxonomy().size());
    }

    /** The model as it is, on pictures of one size; the scores predictor is made on first use. */
    private final class Runner implements ModelRunner {

        private final ai.djl.inference.Predictor<List<RgbImage>, List<LabelMap>> labels = model.newPredictor();
        private final Optional<String> logits = descriptor.outputKind() == ModelDescriptor.OutputKind.LOGITS
                ? Optional.of(descriptor.output())
                : info.graph().logits();
        private ai.djl.inference.Predictor<List<RgbImage>, List<Scores>> scores;

        @Override
        public int maxBatch() {
            return maxBatch;
        }

        @Override
        public List<LabelMap> labels(List<RgbImage> images) {
            return predict(labels, images);
        }

        @Override
        public boolean hasScores() {
            return logits.isPresent();
        }

        @Override
        public List<Scores> scores(List<RgbImage> images) {
            if (scores == null) {
                scores = model.newPredictor(new ScoresTranslator(descriptor, logits.orElseThrow()));
            }
            return predict(scores, images);
        }

        private <T> List<T> predict(
                ai.djl.inference.Predictor<List<RgbImage>, List<T>> predictor, List<RgbImage> images) {
            try {
                return predictor.predict(images);
            } catch (TranslateException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new IllegalStateException(
                        cause.getMessage() == null ? e.getMessage() : firstLine(cause.getMessage()), e);
            }
        }

        @Override
        public void close() {
            labels.close();
            if (scores != null) {
                scores.close();
            }
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        model.close();
    }
}
