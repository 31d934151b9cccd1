package io.segstream.app;

import io.segstream.protocol.DrivingGroups;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.SegmentationClass;
import io.segstream.protocol.Size;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.Fitting;
import io.segstream.segmenter.model.InvalidModelException;
import io.segstream.segmenter.model.ModelFailedException;
import io.segstream.segmenter.model.RgbImage;
import io.segstream.segmenter.model.SegmentationModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code segstream models inspect}: what a model takes and gives, and how long one frame takes, before a run. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Loads a model and prints its signature, input dtype, output, fixed crop, how frames are fitted,",
            "its classes and driving groups, then times one inference on a frame of --size."
        })
final class InspectCommand implements Callable<Integer> {

    @Parameters(
            paramLabel = "PATH|NAME",
            description = "A SavedModel directory, a frozen .pb, a .tar.gz or a pulled catalog name.")
    Path model;

    @Option(names = "--size", defaultValue = "1280x720", paramLabel = "WxH")
    String size;

    @Mixin
    ModelOptions modelOptions;

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        DeviceChoice device = modelOptions.device(problems);
        Size frame = null;
        try {
            frame = Size.parse(size);
        } catch (IllegalArgumentException e) {
            problems.add("--size: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("segstream models inspect: " + p));
            return ExitCode.REFUSED.code();
        }
        try (SegmentationModel m = modelOptions.loader(device).load(model)) {
            print(System.out, m);
            return time(System.out, m, frame);
        } catch (InvalidModelException e) {
            System.err.println("segstream models inspect: model refused: " + e.getMessage());
            return ExitCode.REFUSED.code();
        }
    }

    static void print(PrintStream out, SegmentationModel m) {
        ModelDescription d = m.description();
        var graph = m.info().graph();
        row(out, "model", d.model() + " on " + m.device());
        row(out, "inputs", format(graph.inputs()));
        row(out, "outputs", format(graph.outputs()));
        row(
                out,
                "reads",
                m.info().outputKind().name().toLowerCase(Locale.ROOT) + " from output '"
                        + m.info().output() + "'"
                        + (graph.logits().isPresent()
                                ? "; logits in '" + graph.logits().get() + "' (tiles average them)"
                                : ""));
        row(
                out,
                "crop",
                d.crop()
                        .map(c -> c + " (the graph is built for it and fails on larger pictures)")
                        .orElse("none: the graph takes any size"));
        row(out, "sizing", m.info().fitting().describe());
        row(out, "scale", d.scale().toString());
        row(out, "classes", d.taxonomy().size() + ", from " + m.info().classSource());
        for (SegmentationClass c : d.taxonomy().classes()) {
            out.printf(Locale.ROOT, "  %3d  %-24s #%06x%n", c.id(), c.name(), c.rgb());
        }
        row(
                out,
                "driving groups",
                DrivingGroups.NAMES.stream()
                        .map(g -> g + ": "
                                + (d.groups().get(g).isEmpty()
                                        ? "-"
                                        : d.groups().get(g).stream()
                                                .map(id -> d.taxonomy().get(id).name())
                                                .collect(Collectors.joining(", "))))
                        .collect(Collectors.joining("; ")));
    }

    /** Times one inference at the frame size: the first call (kernels prepared) and the next. */
    private static int time(PrintStream out, SegmentationModel m, Size frame) {
        RgbImage picture = pattern(frame);
        Fitting.Plan plan = m.info().fitting().plan(frame, m.description().scale());
        String fed = plan instanceof Fitting.Tiled t
                ? t.origins().size() + " tiles of " + t.tile() + " over " + t.scaled()
                : plan.scaled().toString();
        try (SegmentationModel.Predictor p = m.newPredictor()) {
            long t0 = System.nanoTime();
            LabelMap mask = p.segment(picture);
            long first = System.nanoTime() - t0;
            t0 = System.nanoTime();
            p.segment(picture);
            long second = System.nanoTime() - t0;
            row(
                    out,
                    "inference",
                    String.format(
                            Locale.ROOT,
                            "a %s frame runs as %s: %.0f ms (the first call %.0f ms); " + "mask %dx%d",
                            frame,
                            fed,
                            second / 1e6,
                            first / 1e6,
                            mask.width(),
                            mask.height()));
            return ExitCode.OK.code();
        } catch (ModelFailedException e) {
            row(
                    out,
                    "inference",
                    "a " + frame + " frame runs as " + fed + ": FAILS: " + e.getMessage()
                            + (e.fix().isEmpty() ? "" : "; " + e.fix()));
            return ExitCode.FAILED.code();
        }
    }

    /** A picture with structure (bands of colour), so the model does real work on it. */
    private static RgbImage pattern(Size s) {
        byte[] rgb = new byte[s.width() * s.height() * 3];
        for (int y = 0; y < s.height(); y++) {
            for (int x = 0; x < s.width(); x++) {
                int i = (y * s.width() + x) * 3;
                rgb[i] = (byte) (y * 255 / s.height());
                rgb[i + 1] = (byte) (x * 255 / s.width());
                rgb[i + 2] = (byte) ((x / 64 + y / 64) % 2 * 200);
            }
        }
        return new RgbImage(s.width(), s.height(), rgb);
    }

    private static String format(Map<String, String> tensors) {
        return tensors.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static void row(PrintStream out, String name, String value) {
        out.printf(Locale.ROOT, "%-15s %s%n", name, value);
    }
}
