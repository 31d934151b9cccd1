package io.segstream.app;

import io.segstream.ingest.config.CameraKey;
import io.segstream.ingest.config.CameraRecords;
import io.segstream.ingest.config.CameraSettings;
import io.segstream.ingest.config.CamerasFile;
import io.segstream.ingest.config.ConfigException;
import io.segstream.ingest.fleet.FleetSettings;
import io.segstream.ingest.fleet.FramesTail;
import io.segstream.protocol.CameraId;
import io.segstream.protocol.Checks;
import io.segstream.protocol.Topics;
import io.segstream.runtime.KafkaClientProperties;
import io.segstream.runtime.Partitions;
import io.segstream.runtime.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code segstream cameras}: the fleet's cameras on the compacted cameras topic. A camera is checked
 * as the cameras file checks it before it is written; ingest instances started without cameras of
 * their own share the topic's cameras (see {@code segstream ingest}).
 */
@Command(
        name = "cameras",
        mixinStandardHelpOptions = true,
        description = {
            "The cameras of a fleet, kept on the compacted cameras topic (key: camera id, value: its keys as JSON).",
            "Ingest instances started without --config or --camera share them and take over those of an instance",
            "that dies."
        },
        subcommands = {
            CamerasCommand.Add.class,
            CamerasCommand.Remove.class,
            CamerasCommand.ListCameras.class,
            CamerasCommand.Import.class,
            CamerasCommand.Export.class
        })
final class CamerasCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The cluster and the cameras topic of a subcommand. */
    abstract static class OnCluster implements Callable<Integer> {

        @Mixin
        ClusterOptions cluster;

        @Spec
        CommandSpec command;

        private final String name;

        OnCluster(String name) {
            this.name = name;
        }

        @Override
        public final Integer call() {
            List<String> problems = new ArrayList<>();
            cluster.validate(problems);
            validate(problems);
            if (!problems.isEmpty()) {
                problems.forEach(this::error);
                return ExitCode.REFUSED.code();
            }
            if (cluster.ensureCamerasTopic("cameras " + name) != 0) {
                return ExitCode.REFUSED.code();
            }
            try {
                return work();
            } catch (KafkaException e) {
                error("the cluster " + cluster.bootstrapServers + " refused: " + e.getMessage());
                return ExitCode.FAILED.code();
            }
        }

        void validate(List<String> problems) {}

        abstract int work();

        void error(String line) {
            System.err.println("segstream cameras " + name + ": " + line);
        }

        String topic() {
            return cluster.topics().cameras();
        }

        /** Writes records (null value: a tombstone) and waits until the cluster holds them. */
        void write(Map<String, byte[]> records) {
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    KafkaClientProperties.producer(cluster.bootstrapServers, Map.of(), cluster.kafka()),
                    new StringSerializer(),
                    new ByteArraySerializer())) {
                List<Future<?>> sent = new ArrayList<>();
                records.forEach((k, v) -> sent.add(producer.send(new ProducerRecord<>(topic(), k, v))));
                for (Future<?> f : sent) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted");
            } catch (TimeoutException e) {
                throw new KafkaException("no acknowledgement within 60 s");
            }
        }

        /** The cameras of the topic now, by id: valid ones, and those whose record is refused (why). */
        Cameras read() {
            Map<String, ConsumerRecord<String, byte[]>> latest = new TreeMap<>();
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                    KafkaClientProperties.consumer(
                            cluster.bootstrapServers,
                            Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                            cluster.kafka()),
                    new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> parts = Partitions.fromBeginning(c, topic());
                Map<TopicPartition, Long> end = c.endOffsets(parts);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                    if (System.nanoTime() > deadline) {
                        throw new KafkaException("the cameras topic was not read to its end within 60 s");
                    }
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        if (r.key() == null) {
                            continue;
                        }
                        if (r.value() == null) {
                            latest.remove(r.key());
                        } else {
                            latest.put(r.key(), r);
                        }
                    }
                }
            }
            Map<String, CameraSettings> valid = new TreeMap<>();
            Map<String, String> refused = new TreeMap<>();
            Map<String, Integer> partition = new TreeMap<>();
            latest.forEach((id, r) -> {
                partition.put(id, r.partition());
                try {
                    valid.put(id, CameraRecords.decode(id, r.value()));
                } catch (ConfigException e) {
                    refused.put(CameraId.quote(id), String.join("; ", e.problems()));
                }
            });
            return new Cameras(valid, refused, partition);
        }
    }

    /** The cameras of the topic: valid ones by id, refused records' ids (quoted) to why, and each id's partition. */
    record Cameras(Map<String, CameraSettings> valid, Map<String, String> refused, Map<String, Integer> partition) {}

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                "Adds a camera, or changes one (its ingest instance restarts it in a new session).",
                "KEY=VALUE pairs are the keys of a camera in the cameras file (mode, fps, max-size, encoding,",
                "jpeg-quality, rtsp-transport, scale) and option.NAME=VALUE for an FFmpeg option."
            })
    static final class Add extends OnCluster {

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1", paramLabel = "SOURCE")
        String source;

        @Parameters(index = "2..*", paramLabel = "KEY=VALUE")
        List<String> keys = new ArrayList<>();

        private CameraSettings camera;

        Add() {
            super("add");
        }

        @Override
        void validate(List<String> problems) {
            Map<String, String> values = new LinkedHashMap<>();
            Map<String, String> options = new LinkedHashMap<>();
            values.put(CameraKey.ID.name(), id);
            values.put(CameraKey.SOURCE.name(), source);
            for (String k : keys) {
                int eq = k.indexOf('=');
                String name = eq <= 0 ? "" : k.substring(0, eq);
                if (name.startsWith("option.") && name.length() > "option.".length()) {
                    options.put(name.substring("option.".length()), k.substring(eq + 1));
                } else if (eq > 0
                        && CameraKey.ALL.stream()
                                .anyMatch(c -> c.name().equals(name)
                                        && c != CameraKey.ID
                                        && c != CameraKey.SOURCE
                                        && c != CameraKey.OPTIONS)) {
                    values.put(name, k.substring(eq + 1));
                } else {
                    problems.add(Checks.shown(k) + ": expected KEY=VALUE with a camera key (mode, fps, max-size,"
                            + " encoding, jpeg-quality, rtsp-transport, scale) or option.NAME=VALUE");
                }
            }
            CameraSettings c = new CameraSettings(values, options);
            if (c.bind("camera " + CameraId.quote(id), problems).isPresent()) {
                camera = c;
            }
            if (camera != null && CameraRecords.encode(camera).length > Topics.MAX_CAMERA_RECORD_BYTES) {
                problems.add("camera " + id + ": its settings are larger than a camera record may be");
            }
        }

        @Override
        int work() {
            write(Map.of(camera.id(), CameraRecords.encode(camera)));
            System.out.println("camera " + camera.id() + " added to " + topic());
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = "Removes a camera: its ingest instance stops it with its end of stream.")
    static final class Remove extends OnCluster {

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        Remove() {
            super("remove");
        }

        @Override
        void validate(List<String> problems) {
            if (!CameraId.valid(id)) {
                problems.add("camera id " + CameraId.quote(id) + " must be " + CameraId.RULE);
            }
        }

        @Override
        int work() {
            Cameras cameras = read();
            if (!cameras.partition().containsKey(id)) {
                error("no camera " + id + " on " + topic() + " (segstream cameras list shows them)");
                return ExitCode.REFUSED.code();
            }
            Map<String, byte[]> tombstone = new LinkedHashMap<>();
            tombstone.put(id, null);
            write(tombstone);
            System.out.println("camera " + id + " removed from " + topic());
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = {
                "Adds or changes every camera of a cameras file (cameras already as the file says are left as they are,",
                "so a recorded input is not read again); a file with any bad camera writes nothing."
            })
    static final class Import extends OnCluster {

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        private List<CameraSettings> cameras = List.of();

        Import() {
            super("import");
        }

        @Override
        void validate(List<String> problems) {
            try {
                cameras = CamerasFile.entries(file);
            } catch (ConfigException e) {
                e.problems().forEach(p -> problems.add(file + ": " + p));
            }
        }

        @Override
        int work() {
            Map<String, CameraSettings> now = read().valid();
            Map<String, byte[]> records = new LinkedHashMap<>();
            cameras.stream()
                    .filter(c -> !c.equals(now.get(c.id())))
                    .forEach(c -> records.put(c.id(), CameraRecords.encode(c)));
            write(records);
            System.out.println(records.size() + " cameras of " + file + " written to " + topic() + ", "
                    + (cameras.size() - records.size()) + " unchanged");
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Prints the topic's cameras as a cameras file (YAML).")
    static final class Export extends OnCluster {

        Export() {
            super("export");
        }

        @Override
        int work() {
            Cameras cameras = read();
            System.out.print(
                    CameraRecords.toCamerasFile(List.copyOf(cameras.valid().values())));
            cameras.refused().forEach((id, why) -> error("camera " + id + " left out, its record is refused: " + why));
            return ExitCode.OK.code();
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {
                "Lists the topic's cameras: source, mode, the ingest instance that owns each (of --group),",
                "and each camera's last record on the frames topic (a frame or its end of stream)."
            })
    static final class ListCameras extends OnCluster implements TakesSettings {

        private String group;

        ListCameras() {
            super("list");
        }

        @Override
        public List<Setting<?>> settings() {
            return List.of(FleetSettings.GROUP);
        }

        @Override
        void validate(List<String> problems) {
            group = new SettingValues(command, problems)
                    .find(FleetSettings.GROUP)
                    .orElse(cluster.prefixed(FleetSettings.DEFAULT_GROUP));
        }

        @Override
        int work() {
            Cameras cameras = read();
            Map<Integer, String> owners = owners();
            System.out.printf(
                    "%-24s %-9s %-10s %-28s %-36s %s%n", "CAMERA", "MODE", "STATE", "OWNER", "LAST RECORD", "SOURCE");
            try (FramesTail tail = new FramesTail(
                    cluster.bootstrapServers, cluster.kafka(), cluster.topics().frames())) {
                cameras.valid().forEach((id, c) -> {
                    String mode = c.bind("camera " + id, new ArrayList<>())
                            .map(s -> s.live() ? "live" : "recorded")
                            .orElse("?");
                    String owner = owners.get(cameras.partition().get(id));
                    Optional<FramesTail.Last> last = tail.last(id);
                    String state = mode.equals("recorded")
                                    && last.map(FramesTail.Last::ended).orElse(false)
                            ? "ended"
                            : owner == null ? "unassigned" : "running";
                    System.out.printf(
                            "%-24s %-9s %-10s %-28s %-36s %s%n",
                            id,
                            mode,
                            state,
                            owner == null ? "(none)" : owner,
                            last(last),
                            c.values().get(CameraKey.SOURCE.name()));
                });
            }
            cameras.refused().forEach((id, why) -> System.out.printf("%-24s refused: %s%n", id, why));
            return ExitCode.OK.code();
        }

        private static String last(Optional<FramesTail.Last> last) {
            if (last.isEmpty()) {
                return "(no frame yet)";
            }
            FramesTail.Last l = last.get();
            String at = l.timestamp().truncatedTo(ChronoUnit.SECONDS).toString();
            return (l.ended() ? "ended, " + (l.sequence() + 1) + " frames" : "frame " + l.sequence()) + " " + at;
        }

        /** The cameras topic's partitions by the instance of the group that owns each. */
        private Map<Integer, String> owners() {
            Map<Integer, String> out = new TreeMap<>();
            try (Admin admin = Admin.create(KafkaClientProperties.admin(
                    cluster.bootstrapServers,
                    Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000),
                    cluster.kafka()))) {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group))
                        .describedGroups()
                        .get(group)
                        .get(30, TimeUnit.SECONDS);
                for (MemberDescription m : d.members()) {
                    for (TopicPartition tp : m.assignment().topicPartitions()) {
                        if (tp.topic().equals(topic())) {
                            out.put(tp.partition(), m.clientId());
                        }
                    }
                }
            } catch (ExecutionException | TimeoutException e) {
                error("the owners are not known: group " + group + " cannot be described: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return out;
        }
    }
}
