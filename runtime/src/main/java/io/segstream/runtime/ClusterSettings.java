package io.segstream.runtime;

import java.util.regex.Pattern;

/** The settings every service takes about its Kafka topics. */
public final class ClusterSettings {

    private ClusterSettings() {}

    public static final Setting<String> TOPIC_PREFIX = Setting.described(
            "topic-prefix",
            "PREFIX",
            "none",
            "Prefix of the topic names (and of the sink's application id and the segmenters' group unless they are"
                    + " given): several pipelines on one cluster share nothing.",
            Setting.matching(
                    Pattern.compile("[A-Za-z0-9._-]{1,100}"),
                    "1-100 letters, digits, '.', '_' or '-' (what Kafka allows in a topic name)"));
    public static final Setting<Integer> PARTITIONS = Setting.of(
            "partitions",
            "N",
            "1",
            "Partitions of the topics when this service creates them.",
            Setting.intWithin(1, 10_000));
    public static final Setting<Short> REPLICATION_FACTOR = Setting.of(
            "replication-factor",
            "N",
            "1",
            "Replication factor of the topics when this service creates them.",
            v -> Setting.intWithin(1, Short.MAX_VALUE).apply(v).shortValue());
}
