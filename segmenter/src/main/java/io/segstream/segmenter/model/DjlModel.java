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
    private final ModelDescriptor descriptor;

    private DjlModel(String id, ModelDescriptor descriptor, ZooModel<List<RgbImage>, List<LabelMap>> model, int maxBatch) {
        this.id = id;
        this.taxonomy = descriptor.taxonomy();
        this.descriptor = descriptor;
        this.model = model;
        this.maxBatch = maxBatch;
    }

    @SuppressWarnings("unchecked")
    static DjlModel load(String id, ModelDescriptor descriptor, Path savedModelDir, DeviceChoice device) {
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
                .optTranslator(new BatchTranslator(descriptor))
                .build();
        ZooModel<List<RgbImage>, List<LabelMap>> model;
        try {
            model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new InvalidModelException("cannot load the SavedModel " + savedModelDir + " (tag " + ModelSignature.TAG
                    + ", signature " + ModelSignature.KEY + "): " + e.getMessage(), e);
        }
        try {
            checkSignature(savedModelDir, model, descriptor);
        } catch (InvalidModelException e) {
            model.close();
            throw e;
        }
        long batch = model.describeInput().get(0).getValue().get(0);
        return new DjlModel(id, descriptor, model, batch > 0 ? (int) batch : Integer.MAX_VALUE);
    }

    private static void checkSignature(Path dir, ZooModel<?, ?> model, ModelDescriptor d) {
        var inputs = model.describeInput();
        boolean inputFits = inputs != null && inputs.size() == 1 && inputs.get(0).getValue().dimension() == 4
                && inputs.get(0).getValue().get(3) == 3 && (inputs.get(0).getKey() == null || inputs.get(0).getKey().isEmpty()
                || inputs.get(0).getKey().equals(d.input()));
        if (!inputFits) {
            throw new InvalidModelException("the SavedModel " + dir + " must take one image input '" + d.input() + "' "
                    + d.inputType().name().toLowerCase() + " [N,H,W,3]; its " + ModelSignature.KEY + " signature takes " + inputs);
        }
        var outputs = model.describeOutput();
        String expected = d.outputKind() == ModelDescriptor.OutputKind.LABELS ? "int64 [N,H,W]" : "float32 [N,H,W,classes]";
        if (outputs == null || !outputs.keys().contains(d.output())) {
            throw new InvalidModelException("the SavedModel " + dir + " has no '" + d.output() + "' output (" + expected
                    + ") in its " + ModelSignature.KEY + " signature; it has " + outputs);
        }
        ai.djl.ndarray.types.Shape shape = outputs.get(d.output());
        int rank = d.outputKind() == ModelDescriptor.OutputKind.LABELS ? 3 : 4;
        if (shape.dimension() != rank) {
            throw new InvalidModelException("the SavedModel " + dir + " output '" + d.output() + "' has shape " + shape
                    + ", but the descriptor reads it as " + d.outputKind().name().toLowerCase() + " " + expected);
        }
        if (rank == 4 && shape.get(3) > 0 && shape.get(3) != d.taxonomy().size()) {
            throw new InvalidModelException("the SavedModel " + dir + " output '" + d.output() + "' scores " + shape.get(3)
                    + " classes, but the descriptor names " + d.taxonomy().size());
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
                ModelDescriptor.SizePolicy size = descriptor.size();
                return switch (size.mode()) {
                    case NATIVE -> run(images);
                    case RESIZE -> resized(images, size);
                    case TILES -> images.stream().map(i -> tiled(i, size)).toList();
                };
            }

            private List<LabelMap> resized(List<RgbImage> images, ModelDescriptor.SizePolicy size) {
                List<LabelMap> small = run(images.stream().map(i -> Sizing.resize(i, size.width(), size.height())).toList());
                List<LabelMap> out = new java.util.ArrayList<>(images.size());
                for (int i = 0; i < images.size(); i++) {
                    out.add(Sizing.resizeNearest(small.get(i), images.get(i).width(), images.get(i).height()));
                }
                return out;
            }

            private LabelMap tiled(RgbImage image, ModelDescriptor.SizePolicy size) {
                List<Sizing.Tile> tiles = Sizing.tiles(image, size.width(), size.height());
                List<LabelMap> labels = new java.util.ArrayList<>(tiles.size());
                for (int from = 0; from < tiles.size(); from += maxBatch) {
                    labels.addAll(run(tiles.subList(from, Math.min(tiles.size(), from + maxBatch)).stream()
                            .map(Sizing.Tile::image).toList()));
                }
                return Sizing.stitch(image.width(), image.height(), tiles, labels);
            }

            private List<LabelMap> run(List<RgbImage> images) {
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
