package io.segstream.app;

import io.segstream.runtime.Setting;
import io.segstream.segmenter.worker.SegmenterConfig;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** How a segmenter batches and which live frames it skips: settings of {@link SegmenterConfig}. */
@Command
final class BatchOptions implements TakesSettings {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    int batchSize = SegmenterConfig.DEFAULT_BATCH_SIZE;
    Duration batchWait = SegmenterConfig.DEFAULT_BATCH_WAIT;
    Duration maxAge = SegmenterConfig.DEFAULT_MAX_AGE;

    @Override
    public List<Setting<?>> settings() {
        return List.of(SegmenterConfig.BATCH_SIZE, SegmenterConfig.BATCH_WAIT, SegmenterConfig.MAX_AGE);
    }

    /** Reads the settings, adding a problem for each value refused. */
    void validate(List<String> problems) {
        SettingValues values = new SettingValues(command, problems);
        batchSize = values.get(SegmenterConfig.BATCH_SIZE);
        batchWait = values.get(SegmenterConfig.BATCH_WAIT);
        maxAge = values.get(SegmenterConfig.MAX_AGE);
    }
}
