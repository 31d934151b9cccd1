package io.segstream.app;

import io.segstream.segmenter.worker.SegmenterConfig;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** How a segmenter batches and which live frames it skips. */
final class BatchOptions {

    @Option(
            names = "--batch-size",
            description = "Most frames per model call, across cameras (default: ${DEFAULT-VALUE}).")
    int batchSize = SegmenterConfig.DEFAULT_BATCH_SIZE;

    @Option(names = "--batch-wait", description = "Longest wait for a batch to fill (default: ${DEFAULT-VALUE}).")
    Duration batchWait = SegmenterConfig.DEFAULT_BATCH_WAIT;

    @Option(
            names = "--max-age",
            description =
                    "Skip a live camera's frame older than this when its turn comes; PT0S never skips (default: ${DEFAULT-VALUE}).")
    Duration maxAge = SegmenterConfig.DEFAULT_MAX_AGE;

    void validate(List<String> problems) {
        if (batchSize < 1) {
            problems.add("--batch-size must be >= 1, got " + batchSize);
        }
        if (batchWait.isNegative() || maxAge.isNegative()) {
            problems.add("--batch-wait and --max-age must not be negative");
        }
    }
}
