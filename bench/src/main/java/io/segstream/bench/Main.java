package io.segstream.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Benchmarks of segstream's stages, each beside its anchor run on the same machine and reported
 * as a ratio (DESIGN.md, "Performance"). Run through {@code bench/run STAGE}.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1
                || !List.of("ingest", "segmenter", "sink", "view", "pipeline", "live", "soak", "overload")
                        .contains(args[0])) {
            System.err.println(
                    "usage: bench/run ingest|segmenter|sink|view [--repeats N] | pipeline [--repeats N] [--hog] | live [--seconds N] "
                            + "| soak [--minutes N] | overload [--cameras N] [--seconds S]");
            System.exit(2);
        }
        int repeats = 3;
        int seconds = 60;
        int minutes = 10;
        int cameras = 6;
        boolean hog = false;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--repeats") && i + 1 < args.length) {
                repeats = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--minutes") && i + 1 < args.length) {
                minutes = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--hog")) {
                hog = true;
            } else if (args[i].equals("--cameras") && i + 1 < args.length) {
                cameras = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--seconds") && i + 1 < args.length) {
                seconds = Integer.parseInt(args[++i]);
            }
        }
        Path work = Path.of(System.getProperty("segstream.bench.dir", "bench/target/work"));
        Path assets = Path.of(System.getProperty("segstream.assets", "../shared/assets"));
        if (args[0].equals("ingest")) {
            new IngestBenchmark(work, assets, repeats).run();
        } else if (args[0].equals("soak")) {
            new SoakBenchmark(work, assets, minutes).run();
        } else if (args[0].equals("overload")) {
            new OverloadBenchmark(work, assets, cameras, seconds).run();
        } else if (args[0].equals("live")) {
            new LiveBenchmark(work, assets, seconds).run();
        } else if (args[0].equals("pipeline")) {
            new PipelineBenchmark(work, assets, repeats, hog).run();
        } else if (args[0].equals("view")) {
            new ViewBenchmark(work, assets, repeats).run();
        } else if (args[0].equals("sink")) {
            new SinkBenchmark(work, assets, repeats).run();
        } else {
            new SegmenterBenchmark(work, assets, repeats).run();
        }
    }
}
