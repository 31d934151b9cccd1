package io.segstream.segmenter.model;

import io.segstream.protocol.LabelMap;
import io.segstream.protocol.Scale;
import io.segstream.protocol.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Segments frames of any size: brings each to its inference scale, fits it to the model
 * ({@link Fitting}: as it is, resized to fit the crop, resized, or in overlapping tiles blended by
 * {@link TileBlender}), runs the model in batches it takes, and brings the labels back to the
 * frame's size. A failure of the model is explained where the plan explains it (a picture larger
 * than the model's crop).
 */
public final class FittedPredictor implements SegmentationModel.Predictor {

    /** The most memory the blended scores of one tiled frame may take; beyond it tiles blend by labels. */
    static final long MAX_SCORES_BYTES = 512L << 20;

    private final ModelRunner runner;
    private final Fitting fitting;
    private final Scale defaultScale;
    private final Optional<Size> crop;
    private final String modelId;
    private final int classes;

    public FittedPredictor(
            ModelRunner runner, Fitting fitting, Scale defaultScale, Optional<Size> crop, String modelId, int classes) {
        this.runner = runner;
        this.fitting = fitting;
        this.defaultScale = defaultScale;
        this.crop = crop;
        this.modelId = modelId;
        this.classes = classes;
    }

    @Override
    public List<LabelMap> segment(List<RgbImage> images) {
        return segment(images, defaultScale);
    }

    @Override
    public List<LabelMap> segment(List<RgbImage> images, Scale scale) {
        if (images.isEmpty()) {
            return List.of();
        }
        List<LabelMap> out = new ArrayList<>(images.size());
        List<RgbImage> whole = new ArrayList<>();
        Size wholeSize = null;
        for (RgbImage image : images) {
            Fitting.Plan plan = fitting.plan(new Size(image.width(), image.height()), scale);
            if (plan instanceof Fitting.Whole w && (wholeSize == null || wholeSize.equals(w.scaled()))) {
                wholeSize = w.scaled();
                whole.add(image);
                continue;
            }
            out.addAll(wholeFrames(whole, wholeSize));
            whole.clear();
            wholeSize = null;
            if (plan instanceof Fitting.Whole w) {
                wholeSize = w.scaled();
                whole.add(image);
            } else {
                out.add(tiled(image, (Fitting.Tiled) plan));
            }
        }
        out.addAll(wholeFrames(whole, wholeSize));
        return out;
    }

    /** Frames that run whole at {@code input}: resized, run in batches, labels brought back. */
    private List<LabelMap> wholeFrames(List<RgbImage> frames, Size input) {
        if (frames.isEmpty()) {
            return List.of();
        }
        List<RgbImage> fed = frames.stream()
                .map(f -> Sizing.resize(f, input.width(), input.height()))
                .toList();
        List<LabelMap> labels = inBatches(fed, runner::labels);
        List<LabelMap> out = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            out.add(Sizing.resizeNearest(
                    labels.get(i), frames.get(i).width(), frames.get(i).height()));
        }
        return out;
    }

    private LabelMap tiled(RgbImage frame, Fitting.Tiled plan) {
        RgbImage scaled =
                Sizing.resize(frame, plan.scaled().width(), plan.scaled().height());
        List<RgbImage> tiles = plan.origins().stream()
                .map(o -> Sizing.crop(
                        scaled, o.x(), o.y(), plan.tile().width(), plan.tile().height()))
                .toList();
        TileBlender blender = new TileBlender(plan);
        LabelMap labels;
        if (runner.hasScores() && fitsInMemory(plan)) {
            labels = blender.scores(inBatches(tiles, runner::scores));
        } else {
            labels = blender.labels(inBatches(tiles, runner::labels));
        }
        return Sizing.resizeNearest(labels, frame.width(), frame.height());
    }

    private boolean fitsInMemory(Fitting.Tiled plan) {
        return TileBlender.scoresBytes(plan.scaled(), classes) <= MAX_SCORES_BYTES;
    }

    private <T> List<T> inBatches(List<RgbImage> pictures, Function<List<RgbImage>, List<T>> run) {
        List<T> out = new ArrayList<>(pictures.size());
        for (int from = 0; from < pictures.size(); from += runner.maxBatch()) {
            List<RgbImage> chunk = pictures.subList(from, Math.min(pictures.size(), from + runner.maxBatch()));
            try {
                out.addAll(run.apply(chunk));
            } catch (ModelFailedException e) {
                throw e;
            } catch (RuntimeException e) {
                throw explain(chunk.get(0), chunk.size(), e);
            }
        }
        return out;
    }

    /** The model's failure, with its cause and fix where the plan tells them. */
    private ModelFailedException explain(RgbImage input, int count, RuntimeException e) {
        Size size = new Size(input.width(), input.height());
        String what = "model " + modelId + " failed on " + count + " " + size + " picture(s)";
        if (crop.isPresent() && !size.fitsIn(crop.get())) {
            return new ModelFailedException(
                    what + ": " + size + " is larger than the model's " + crop.get() + " crop (size policy "
                            + Fitting.name(fitting.mode()) + ")",
                    "use size policy fit (resize to fit the crop, the default for such a model) or tiles",
                    e);
        }
        return new ModelFailedException(what + ": " + e.getMessage(), "", e);
    }

    @Override
    public void close() {
        runner.close();
    }
}
