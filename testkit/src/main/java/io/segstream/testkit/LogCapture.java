package io.segstream.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Collects the log lines of the whole JVM while open, as {@code LEVEL message}, for tests that assert on them. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    /** One log event: its level, logger, the camera in its MDC ("" when none) and its message. */
    public record Entry(String level, String logger, String camera, String message) {}

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);

    public LogCapture() {
        setName("capture");
        setContext(root.getLoggerContext());
        start();
        root.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent event) {
        lines.add(event.getLevel() + " " + event.getFormattedMessage());
        entries.add(new Entry(
                event.getLevel().toString(),
                event.getLoggerName(),
                event.getMDCPropertyMap().getOrDefault("camera", ""),
                event.getFormattedMessage()));
    }

    /** Every line so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Every event so far. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The ERROR lines so far, without the level. */
    public List<String> errors() {
        String prefix = Level.ERROR + " ";
        return lines.stream()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()))
                .toList();
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
