package io.segstream.app;

import io.segstream.runtime.Setting;
import io.segstream.sink.config.SinkConfig;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** How the sink draws, waits and counts: settings of {@link SinkConfig}, for the sink and the embedded run. */
@Command
final class SinkOptions implements TakesSettings {

    private static final List<Setting<?>> SETTINGS = List.of(
            SinkConfig.OVERLAY_ALPHA,
            SinkConfig.CORRIDOR,
            SinkConfig.MASK_TIMEOUT,
            SinkConfig.WINDOWS,
            SinkConfig.LIVE_FILE_LENGTH);

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private SettingValues values;

    @Override
    public List<Setting<?>> settings() {
        return SETTINGS;
    }

    /** Reads the settings, adding a problem for each value refused. */
    void validate(List<String> problems) {
        values = new SettingValues(command, problems);
        SETTINGS.forEach(values::get);
    }

    /** {@code base} with these settings; call {@link #validate} first. */
    SinkConfig apply(SinkConfig base) {
        return new SinkConfig(
                base.bootstrapServers(),
                base.topics(),
                base.applicationId(),
                base.stateDir(),
                base.outputDir(),
                value(SinkConfig.OVERLAY_ALPHA),
                value(SinkConfig.CORRIDOR),
                value(SinkConfig.MASK_TIMEOUT),
                value(SinkConfig.WINDOWS),
                value(SinkConfig.LIVE_FILE_LENGTH),
                base.kafka());
    }

    /** A setting's value as given, or its default where these options were not parsed (eval's pipeline run). */
    private <T> T value(Setting<T> setting) {
        return values == null ? setting.defaultOrFail() : values.get(setting);
    }
}
