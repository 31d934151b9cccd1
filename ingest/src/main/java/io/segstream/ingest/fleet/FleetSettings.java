package io.segstream.ingest.fleet;

import io.segstream.runtime.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The settings of an ingest instance that shares a fleet's cameras through the cameras topic. */
public final class FleetSettings {

    /** The fleet's ingest group, under the topic prefix. */
    public static final String DEFAULT_GROUP = "segstream-ingest";

    public static final Setting<String> GROUP = Setting.described(
            "group",
            "NAME",
            DEFAULT_GROUP + " under the topic prefix",
            "The consumer group of the ingest instances that share the cameras topic's cameras.",
            Setting.matching(Pattern.compile("[A-Za-z0-9._-]{1,200}"), "1-200 of A-Z a-z 0-9 . _ -"));
    public static final Setting<String> INSTANCE = Setting.described(
            "instance",
            "NAME",
            "host name and process id",
            "This instance's name in the fleet (its Kafka client id), shown as a camera's owner by"
                    + " segstream cameras list.",
            Setting.matching(Pattern.compile("[A-Za-z0-9._-]{1,200}"), "1-200 of A-Z a-z 0-9 . _ -"));
    public static final Setting<Duration> SESSION_TIMEOUT = Setting.of(
            "fleet-session-timeout",
            "DURATION",
            "PT10S",
            "How long the fleet waits for an instance that stopped answering before its cameras move to the"
                    + " others, ISO-8601 (6-300 s, within the brokers' group session bounds).",
            Setting.checked(
                    Setting.durationFrom(Duration.ofSeconds(6)),
                    d -> d.compareTo(Duration.ofMinutes(5)) <= 0,
                    "be at most PT5M"));
    public static final Setting<List<Path>> MEDIA_ROOTS = Setting.described(
            "media-root",
            "DIR[,DIR...]",
            "none: cameras of the topic read network sources only",
            "Directories under which cameras of the cameras topic may read files, picture sequences and"
                    + " devices; a record naming a local source elsewhere is refused.",
            FleetSettings::roots);

    private FleetSettings() {}

    private static List<Path> roots(String v) {
        List<Path> out = new ArrayList<>();
        for (String part : v.split(",", -1)) {
            out.add(Setting.path().apply(part.strip()));
        }
        if (out.size() > 32) {
            throw new IllegalArgumentException("must be at most 32 directories, got " + out.size());
        }
        return out;
    }
}
