package io.segstream.app;

import io.segstream.protocol.Checks;
import io.segstream.segmenter.worker.SegmenterConfig;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** How a segmenter batches and which live frames it skips. */
final class BatchOptions {

    @Option(names = "--batch-size")
    int batchSize = SegmenterConfig.DEFAULT_BATCH_SIZE;

    @Option(names = "--batch-wait")
    Duration batchWait = SegmenterConfig.DEFAULT_BATCH_WAIT;

    @Option(names = "--max-age")
    Duration maxAge = SegmenterConfig.DEFAULT_MAX_AGE;

    void validate(List<String> problems) {
        if (batchSize < 1) {
            problems.add("--batch-size must be >= 1, got " + batchSize);
        }
        if (batchWait.isNegative() || maxAge.isNegative()) {
            problems.add("--batch-wait and --max-age must not be negative");
        }
        Problems.check(problems, () -> Checks.atMost("--batch-wait", batchWait, Checks.LONGEST));
        Problems.check(problems, () -> Checks.atMost("--max-age", maxAge, Checks.LONGEST));
    }
}
