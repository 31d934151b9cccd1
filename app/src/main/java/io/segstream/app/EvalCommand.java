package io.segstream.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segstream.broker.EmbeddedKafka;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.config.CameraKey;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskCodec;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.Scale;
import io.segstream.protocol.Size;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.runtime.Setting;
import io.segstream.segmenter.eval.ClassMatch;
import io.segstream.segmenter.eval.ClassPairs;
import io.segstream.segmenter.eval.DirectEvaluator;
import io.segstream.segmenter.eval.EvalReport;
import io.segstream.segmenter.eval.LabelFormat;
import io.segstream.segmenter.eval.LabelledFrames;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.InvalidModelException;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.segmenter.worker.SegmenterConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code segstream eval}: a model's accuracy on labelled frames, called directly and through the pipeline. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Measures a model's accuracy on labelled pictures, directly and through the pipeline.",
            "Mean IoU, per-class IoU and pixel accuracy: the model called",
            "directly, and with --pipeline the pictures sent through ingest (JPEG), Kafka, the segmenter and the sink."
        })
final class EvalCommand implements Callable<Integer>, TakesSettings {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--images", required = true, paramLabel = "DIR")
    Path images;

    @Option(names = "--labels", required = true, paramLabel = "DIR")
    Path labels;

    @Option(names = "--format", defaultValue = "cityscapes", paramLabel = "cityscapes|camvid|ade20k|labels")
    String format;

    @Option(names = "--label-classes", paramLabel = "FILE")
    Optional<Path> labelClasses;

    @Option(names = "--ignore-label", defaultValue = "255", paramLabel = "N")
    int ignoreLabel;

    @Option(names = "--mapping", paramLabel = "FILE")
    Optional<Path> mapping;

    @Option(names = "--size", paramLabel = "WxH")
    Optional<String> size;

    @Option(names = "--scales", split = ",", paramLabel = "S[,S...]")
    List<String> scales = new ArrayList<>();

    @Option(names = "--pipeline")
    boolean pipeline;

    @Spec
    CommandSpec spec;

    /** Read from --jpeg-quality, the cameras file's key of that name. */
    private Optional<Integer> jpegQuality = Optional.empty();

    @Override
    public List<Setting<?>> settings() {
        return List.of(CameraKey.JPEG_QUALITY.asSetting());
    }

    @Option(names = "--png")
    boolean png;

    @Option(names = "--json", paramLabel = "FILE")
    Optional<Path> json;

    @Mixin
    ModelFileOptions modelOptions;

    @Override
    public Integer call() throws Exception {
        List<String> problems = new ArrayList<>();
        LabelFormat labelFormat = labelFormat(problems);
        Optional<Map<String, String>> pairs = Optional.empty();
        try {
            pairs = mapping.map(ClassPairs::read);
        } catch (IllegalArgumentException e) {
            problems.add("--mapping: " + e.getMessage());
        }
        Optional<int[]> feed = Optional.empty();
        try {
            feed = size.map(Size::parse).map(sz -> new int[] {sz.width(), sz.height()});
        } catch (IllegalArgumentException e) {
            problems.add("--size: " + e.getMessage());
        }
        DeviceChoice deviceChoice = modelOptions.device(problems);
        List<Scale> scaleList = new ArrayList<>();
        for (String sc : scales) {
            try {
                scaleList.add(Scale.parse(sc));
            } catch (IllegalArgumentException e) {
                problems.add("--scales: " + e.getMessage());
            }
        }
        jpegQuality = new SettingValues(spec, problems).find(CameraKey.JPEG_QUALITY.asSetting());
        List<LabelledFrames.Pair> frames = List.of();
        try {
            frames = LabelledFrames.pair(images, labels);
        } catch (IOException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("segstream eval: " + p));
            return ExitCode.REFUSED.code();
        }
        EvalReport direct;
        ClassMatch match;
        List<ScaleResult> atScales = new ArrayList<>();
        try (SegmentationModel m = modelOptions.load(deviceChoice)) {
            Optional<ClassMatch> matched = matchClasses(m, labelFormat, pairs);
            if (matched.isEmpty()) {
                return ExitCode.REFUSED.code();
            }
            match = matched.get();
            System.err.println("segstream eval: " + frames.size() + " frames, model " + m.id() + " called directly ("
                    + m.info().fitting().describe() + ")");
            DirectEvaluator evaluator = new DirectEvaluator(m, match, feed);
            direct = evaluator.evaluate(frames, p -> System.err.println("progress: direct " + p));
            for (Scale sc : scaleList) {
                DirectEvaluator at = new DirectEvaluator(m, match, feed, sc);
                EvalReport r = at.evaluate(frames, p -> System.err.println("progress: scale " + sc + " " + p));
                atScales.add(new ScaleResult(sc.toString(), r.meanIoU(), r.pixelAccuracy(), at.msPerFrame()));
            }
        } catch (InvalidModelException e) {
            System.err.println("segstream eval: model refused: " + e.getMessage());
            return ExitCode.REFUSED.code();
        }
        Optional<EvalReport> piped = Optional.empty();
        if (pipeline) {
            Optional<List<LabelMap>> masks = throughPipeline(deviceChoice, frames.size());
            if (masks.isEmpty()) {
                return ExitCode.REFUSED.code();
            }
            piped = Optional.of(DirectEvaluator.score(match, frames, masks.get()));
        }
        print(System.out, direct, piped);
        printScales(System.out, atScales);
        if (json.isPresent()) {
            Files.writeString(json.get(), json(match, frames.size(), direct, piped, atScales));
        }
        return ExitCode.OK.code();
    }

    /**
     * The model's classes matched onto the ground truth's, said in a line or two; empty, after one
     * line saying why, when the mapping does not fit or nothing can be compared.
     */
    private Optional<ClassMatch> matchClasses(
            SegmentationModel m, LabelFormat labelFormat, Optional<Map<String, String>> pairs) {
        ClassMatch match;
        try {
            match = ClassMatch.of(
                    labelFormat, m.description().taxonomy(), m.description().groups(), pairs);
        } catch (IllegalArgumentException e) {
            System.err.println("segstream eval: --mapping " + mapping.orElseThrow() + ": " + e.getMessage());
            return Optional.empty();
        }
        if (match.isEmpty()) {
            System.err.println("segstream eval: no class of model " + m.id() + " maps onto a class of the ground"
                    + " truth (--format " + labelFormat.name() + ") by name, driving group or --mapping: nothing"
                    + " to compare");
            return Optional.empty();
        }
        System.err.println("segstream eval: comparing "
                + match.comparedClasses().size() + " of the ground truth's "
                + truthClasses(labelFormat) + " classes (--format " + labelFormat.name() + ", " + match.basis()
                + "): " + String.join("; ", match.comparedClasses()));
        if (!match.notCompared().isEmpty()) {
            System.err.println("segstream eval: not compared (no class of the model maps onto them; their pixels"
                    + " are left out): " + String.join(", ", match.notCompared()));
        }
        return Optional.of(match);
    }

    private static int truthClasses(LabelFormat f) {
        return f.classes().size() - (f.ignore() < f.classes().size() ? 1 : 0);
    }

    /** The ground truth's format from --format (and --label-classes, --ignore-label for {@code labels}). */
    private LabelFormat labelFormat(List<String> problems) {
        if (format.equals("labels")) {
            if (labelClasses.isEmpty()) {
                problems.add(
                        "--format labels needs --label-classes FILE (one class name per line, label value 0 first)");
                return null;
            }
            if (ignoreLabel < 0 || ignoreLabel > 255) {
                problems.add("--ignore-label must be 0-255 (a label picture's 8-bit value), got " + ignoreLabel);
                return null;
            }
            try {
                return LabelFormat.fromClassList(labelClasses.get(), ignoreLabel);
            } catch (IllegalArgumentException e) {
                problems.add("--label-classes: " + e.getMessage());
                return null;
            }
        }
        if (labelClasses.isPresent()) {
            problems.add("--label-classes is for --format labels, not " + format);
        }
        Optional<LabelFormat> named = LabelFormat.named(format);
        if (named.isEmpty()) {
            problems.add("--format must be cityscapes, camvid, ade20k or labels, got '" + format + "'");
        }
        return named.orElse(null);
    }

    /** The table of the direct runs at each --scales scale; nothing without them. */
    private static void printScales(PrintStream out, List<ScaleResult> atScales) {
        if (atScales.isEmpty()) {
            return;
        }
        out.printf(Locale.ROOT, "%n%-10s %9s %15s %9s%n", "scale", "mean IoU", "pixel accuracy", "ms/frame");
        for (ScaleResult r : atScales) {
            out.printf(
                    Locale.ROOT,
                    "%-10s %9.4f %15.4f %9.1f%n",
                    r.scale(),
                    r.meanIoU(),
                    r.pixelAccuracy(),
                    r.msPerFrame());
        }
    }

    /** The direct run at one inference scale. */
    record ScaleResult(String scale, double meanIoU, double pixelAccuracy, double msPerFrame) {}

    /** The frames through ingest, Kafka, the segmenter and the sink; their masks in frame order. */
    private Optional<List<LabelMap>> throughPipeline(DeviceChoice deviceChoice, int count) throws IOException {
        Path out = Files.createTempDirectory("segstream-eval-");
        String prefix = "eval-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        CameraSpec camera = CameraSpec.of("eval", images.toString());
        camera = camera.withEncoding(png ? ImageEncoding.PNG : ImageEncoding.JPEG, quality());
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            System.err.println("segstream eval: the same frames through the pipeline ("
                    + (png ? "PNG" : "JPEG quality " + quality()) + ")");
            int code = new EmbeddedRun(new EmbeddedRun.Settings(
                            List.of(camera),
                            modelOptions.model,
                            modelOptions.loader(deviceChoice),
                            out,
                            Optional.of(kafka.bootstrapServers()),
                            Map.of(),
                            prefix,
                            1,
                            new SinkOptions(),
                            Duration.ofMinutes(5),
                            SegmenterConfig.DEFAULT_BATCH_SIZE,
                            SegmenterConfig.DEFAULT_BATCH_WAIT,
                            Duration.ZERO,
                            ViewOptions.none(),
                            0))
                    .call();
            if (code != 0) {
                System.err.println("segstream eval: the pipeline run failed (exit " + code + ")");
                return Optional.empty();
            }
            Map<Long, LabelMap> bySequence = new TreeMap<>();
            for (ConsumerRecord<String, byte[]> r : TopicReader.readAll(
                    kafka.bootstrapServers(), Topics.withPrefix(prefix).masks())) {
                if (!WireHeaders.isEndOfStream(r.headers()) && !WireHeaders.isModelDescription(r.headers())) {
                    MaskMeta meta = WireHeaders.readMask(r.headers());
                    if (meta.status() == MaskStatus.OK) {
                        bySequence.put(meta.frame().sequence(), MaskCodec.decode(r.value()));
                    }
                }
            }
            if (bySequence.size() != count) {
                System.err.println(
                        "segstream eval: the pipeline gave " + bySequence.size() + " masks for " + count + " frames");
                return Optional.empty();
            }
            return Optional.of(new ArrayList<>(bySequence.values()));
        } finally {
            EmbeddedRun.deleteQuietly(out);
        }
    }

    private static void print(PrintStream out, EvalReport direct, Optional<EvalReport> piped) {
        out.printf(Locale.ROOT, "%-16s %8s%s%n", "class IoU", "direct", piped.isPresent() ? "  pipeline" : "");
        direct.classIoU()
                .forEach((c, v) -> out.printf(
                        Locale.ROOT,
                        "%-16s %8.4f%s%n",
                        c,
                        v,
                        piped.map(p -> String.format(
                                        Locale.ROOT, "  %8.4f", p.classIoU().getOrDefault(c, Double.NaN)))
                                .orElse("")));
        out.printf(
                Locale.ROOT,
                "%-16s %8.4f%s%n",
                "mean IoU",
                direct.meanIoU(),
                piped.map(p -> String.format(Locale.ROOT, "  %8.4f", p.meanIoU()))
                        .orElse(""));
        out.printf(
                Locale.ROOT,
                "%-16s %8.4f%s%n",
                "pixel accuracy",
                direct.pixelAccuracy(),
                piped.map(p -> String.format(Locale.ROOT, "  %8.4f", p.pixelAccuracy()))
                        .orElse(""));
    }

    /** The JPEG quality of the pipeline's frames: as given, or the default of a picture sequence. */
    private int quality() {
        return jpegQuality.orElse(CameraSpec.STILL_JPEG_QUALITY);
    }

    private String json(
            ClassMatch match, int frames, EvalReport direct, Optional<EvalReport> piped, List<ScaleResult> atScales) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", modelOptions.model.toString());
        root.put("format", match.format().name());
        root.set("compared", JSON.valueToTree(match.comparedClasses()));
        root.set("notCompared", JSON.valueToTree(match.notCompared()));
        root.put("frames", frames);
        root.set("direct", JSON.valueToTree(direct));
        piped.ifPresent(p -> {
            root.put("transport", png ? "png" : "jpeg");
            if (!png) {
                root.put("jpegQuality", quality());
            }
            root.set("pipeline", JSON.valueToTree(p));
        });
        if (!atScales.isEmpty()) {
            root.set("scales", JSON.valueToTree(atScales));
        }
        return root.toPrettyString();
    }
}
