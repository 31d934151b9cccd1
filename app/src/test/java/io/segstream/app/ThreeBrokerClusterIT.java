package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.protocol.Topics;
import io.segstream.testkit.Eventually;
import io.segstream.testkit.IntegrationTest;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline as a fleet runs it: three {@code segstream kafka} nodes in one KRaft quorum, the
 * services with {@code --replication-factor=3}, each a process. Every topic the pipeline creates or
 * uses has 3 copies and 2 in sync; the broker leading frames and masks is killed with SIGKILL
 * mid-input, brought back, then all three are restarted one after the other: every frame comes
 * out exactly once, and the longest stall of frame-stats is measured.
 */
@IntegrationTest
class ThreeBrokerClusterIT {

    private static final int LOOPS = 10;
    private static final int FRAMES = 38 * LOOPS;
    private static final int NODES = 3;
    /** The node that leads frames and masks, and is killed. */
    private static final int LEADER = 2;

    @TempDir
    Path work;

    @Test
    void shouldKeepEveryFrameExactlyOnceThroughALeaderKilledAndARollingRestart() throws Exception {
        Path clip = ServiceProcesses.loopedClip(work, LOOPS);
        int[] ports = new int[NODES];
        int[] controllerPorts = new int[NODES];
        List<String> voters = new ArrayList<>();
        List<String> clients = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            ports[i] = Tools.freePort();
            controllerPorts[i] = Tools.freePort();
            voters.add((i + 1) + "@127.0.0.1:" + controllerPorts[i]);
            clients.add("127.0.0.1:" + ports[i]);
        }
        String bootstrap = String.join(",", clients);
        KafkaBroker kafka = ServiceProcesses.broker(bootstrap, "three segstream kafka nodes");
        Path out = work.resolve("out");
        try (ServiceProcesses services = new ServiceProcesses(work)) {
            Process[] brokers = new Process[NODES];
            for (int i = 0; i < NODES; i++) {
                brokers[i] = node(services, i, ports, controllerPorts, voters, "kafka-" + (i + 1));
            }
            for (int i = 0; i < NODES; i++) {
                services.awaitLog("kafka-" + (i + 1), "segstream kafka: ready at", Duration.ofSeconds(120));
            }
            createFramesAndMasksLedBy(bootstrap, LEADER);
            Process ingest = services.startPipeline(bootstrap, out, clip, "480x270", "--replication-factor=3");
            Stalls stalls = new Stalls(bootstrap);
            stalls.start();

            long before = services.awaitFrameStats(bootstrap, 40, Duration.ofMinutes(4));
            int leader = leaderOfFramesAndMasks(bootstrap);
            assertThat(leader).isEqualTo(LEADER);
            brokers[leader - 1].destroyForcibly();
            assertThat(brokers[leader - 1].waitFor(30, TimeUnit.SECONDS)).isTrue();
            long killedAt = System.nanoTime();
            services.awaitFrameStats(bootstrap, before + 1, Duration.ofMinutes(3));
            double resumedAfter = (System.nanoTime() - killedAt) / 1e9;
            // the killed node comes back on its data, then every node is restarted in turn
            brokers[leader - 1] = restart(services, leader - 1, ports, controllerPorts, voters, "back");
            long rolledFrom = ServiceProcesses.committedFrameStats(bootstrap);
            for (int i = 0; i < NODES; i++) {
                brokers[i].destroy(); // SIGTERM: a clean shutdown, as a rolling restart does
                assertThat(brokers[i].waitFor(60, TimeUnit.SECONDS)).isTrue();
                brokers[i] = restart(services, i, ports, controllerPorts, voters, "rolled");
                awaitFullyReplicated(bootstrap);
            }
            long rolledTo = ServiceProcesses.committedFrameStats(bootstrap);

            assertThat(ingest.waitFor(6, TimeUnit.MINUTES))
                    .as("ingest finished; output:%n%s", services.log("ingest"))
                    .isTrue();
            assertThat(ingest.exitValue()).as("ingest's exit code").isZero();
            services.awaitLog("sink", "overlay finished", Duration.ofMinutes(3));
            stalls.stopSampling();
            BrokerRestartIT.assertEveryFrameOnce(kafka, services, out, FRAMES);
            System.out.printf(
                    "three brokers: leader %d of frames and masks killed at frame-stats offset %d, frame-stats "
                            + "committed again %.1f s later; rolling restart of all three from offset %d to %d; "
                            + "longest stall of frame-stats %.1f s%n",
                    leader, before, resumedAfter, rolledFrom, rolledTo, stalls.longest() / 1e9);
            assertThat(before).as("the leader was killed mid-input").isLessThan(FRAMES);
            assertThat(rolledFrom)
                    .as("the rolling restart began mid-input (frame-stats offsets count records and markers)")
                    .isLessThan(FRAMES);
            assertThat(Duration.ofNanos(stalls.longest()))
                    .as("the longest time frame-stats did not move (generous for a busy machine)")
                    .isLessThan(Duration.ofMinutes(2));
            assertEveryTopicReplicated(bootstrap);
        }
    }

    private static Process node(
            ServiceProcesses services, int i, int[] ports, int[] controllerPorts, List<String> voters, String name)
            throws Exception {
        return services.start(
                name,
                "kafka",
                "--node-id=" + (i + 1),
                "--controller-quorum=" + String.join(",", voters),
                "--data-dir=" + services.path("kafka-data-" + (i + 1)),
                "--port=" + ports[i],
                "--controller-port=" + controllerPorts[i]);
    }

    private static Process restart(
            ServiceProcesses services, int i, int[] ports, int[] controllerPorts, List<String> voters, String why)
            throws Exception {
        String name = "kafka-" + (i + 1) + "-" + why;
        Process p = node(services, i, ports, controllerPorts, voters, name);
        services.awaitLog(name, "segstream kafka: ready at", Duration.ofSeconds(120));
        return p;
    }

    /**
     * Creates frames and masks as the services would (their specs: 3 replicas, 2 in sync), with
     * {@code leader} first among the replicas of both, so that one node leads both partitions.
     */
    private static void createFramesAndMasksLedBy(String bootstrap, int leader) throws Exception {
        List<Integer> replicas = new ArrayList<>(List.of(leader));
        for (int n = 1; n <= NODES; n++) {
            if (n != leader) {
                replicas.add(n);
            }
        }
        try (Admin admin = admin(bootstrap)) {
            List<NewTopic> topics = Topics.withPrefix("").specs(1, (short) 3, Duration.ofHours(1)).stream()
                    .filter(t -> t.name().equals("frames") || t.name().equals("masks"))
                    .map(t -> new NewTopic(t.name(), Map.of(0, replicas)).configs(t.configs()))
                    .toList();
            admin.createTopics(topics).all().get();
        }
    }

    /** The node leading partition 0 of frames and masks (asserted to be one node). */
    private static int leaderOfFramesAndMasks(String bootstrap) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            Map<String, TopicDescription> d = admin.describeTopics(List.of("frames", "masks"))
                    .allTopicNames()
                    .get();
            int frames = d.get("frames").partitions().get(0).leader().id();
            assertThat(d.get("masks").partitions().get(0).leader().id())
                    .as("the leader of masks-0")
                    .isEqualTo(frames);
            return frames;
        }
    }

    /** Waits until every partition of the cluster has all its replicas in sync again. */
    private static void awaitFullyReplicated(String bootstrap) throws Exception {
        Eventually.await("every partition fully in sync", Duration.ofMinutes(2), () -> {
            try (Admin admin = admin(bootstrap)) {
                Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true))
                        .names()
                        .get();
                return admin.describeTopics(names).allTopicNames().get().values().stream()
                        .flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.isr().size() == p.replicas().size());
            } catch (Exception e) {
                return false;
            }
        });
    }

    /**
     * Every topic the pipeline created or used, the sink's changelogs and Kafka's offsets and
     * transactions among them: 3 replicas, and 2 in sync required for a write.
     */
    private static void assertEveryTopicReplicated(String bootstrap) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true))
                    .names()
                    .get();
            assertThat(names)
                    .contains(
                            "frames",
                            "masks",
                            "frame-stats",
                            "camera-stats",
                            "models",
                            "__consumer_offsets",
                            "__transaction_state")
                    .anyMatch(n -> n.startsWith("segstream-sink-") && n.endsWith("-changelog"));
            Map<String, TopicDescription> described =
                    admin.describeTopics(names).allTopicNames().get();
            Map<String, Integer> replicas = new HashMap<>();
            described.forEach((n, t) -> replicas.put(
                    n,
                    t.partitions().stream()
                            .mapToInt(p -> p.replicas().size())
                            .min()
                            .orElse(0)));
            assertThat(replicas)
                    .as("replicas of every partition, by topic")
                    .allSatisfy((n, r) -> assertThat(r).as(n).isEqualTo(3));
            List<ConfigResource> resources = names.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                    .toList();
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(resources).all().get();
            Map<String, String> minIsr = configs.entrySet().stream()
                    .collect(Collectors.toMap(
                            e -> e.getKey().name(),
                            e -> e.getValue().get("min.insync.replicas").value()));
            assertThat(minIsr)
                    .as("min.insync.replicas by topic")
                    .allSatisfy((n, v) -> assertThat(v).as(n).isEqualTo("2"));
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                10_000));
    }

    /** Samples frame-stats' committed offsets until stopped: the longest time they did not move. */
    private static final class Stalls extends Thread {
        private final String bootstrap;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong longest = new AtomicLong();

        Stalls(String bootstrap) {
            this.bootstrap = bootstrap;
            setDaemon(true);
        }

        @Override
        public void run() {
            long last = -1;
            long since = System.nanoTime();
            while (!stop.get()) {
                long n = ServiceProcesses.committedFrameStats(bootstrap);
                long now = System.nanoTime();
                if (n > last) {
                    last = n;
                    since = now;
                }
                longest.accumulateAndGet(now - since, Math::max);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stopSampling() {
            stop.set(true);
        }

        long longest() {
            return longest.get();
        }
    }
}
