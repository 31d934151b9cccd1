package io.segstream.app;

import io.segstream.app.http.HttpEndpoint;
import io.segstream.broker.EmbeddedKafka;
import io.segstream.runtime.Setting;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code segstream kafka}: a persistent Kafka node (KRaft, broker and controller) to run the services
 * against without Docker: a single-node cluster by default, or one node of a cluster of several
 * ({@code --node-id}, {@code --controller-quorum}).
 */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a Kafka node (KRaft broker and controller, from Kafka's own jars) whose data survives restarts,",
            "for running ingest, segment and sink as separate processes without Docker: a single-node cluster,",
            "or one node of several (--node-id, --controller-quorum; three nodes or more keep 3 copies of every",
            "topic created with the cluster's default and of its offsets and transactions, 2 in sync).",
            "Runs until stopped (SIGTERM, Ctrl-C: a clean shutdown)."
        })
final class KafkaCommand implements Callable<Integer>, TakesSettings {

    /** The most nodes of a quorum. */
    static final int MAX_VOTERS = 9;

    static final Setting<Path> DATA_DIR = Setting.of(
            "data-dir",
            "DIR",
            "kafka-data",
            "The broker's data (topics, offsets, transactions); formatted when empty, kept across restarts.",
            Setting.path());
    static final Setting<String> ADDRESS = Setting.of(
            "address",
            "HOST",
            "127.0.0.1",
            "Address the node listens on, for clients and its controller, and gives clients unless --advertised says"
                    + " otherwise.",
            Setting.matching(Pattern.compile("[A-Za-z0-9.-]{1,253}"), "a host name or IPv4 address"));
    static final Setting<Integer> PORT =
            Setting.of("port", "PORT", "9092", "Port for clients.", Setting.intWithin(1, 65535));
    static final Setting<Integer> CONTROLLER_PORT = Setting.of(
            "controller-port",
            "PORT",
            "9093",
            "Port of its KRaft controller, on the same address.",
            Setting.intWithin(1, 65535));
    static final Setting<Integer> NODE_ID =
            Setting.of("node-id", "N", "1", "This node's id in the cluster, 0-9999.", Setting.intWithin(0, 9999));
    static final Setting<String> QUORUM = Setting.described(
            "controller-quorum",
            "ID@HOST:PORT[,...]",
            "this node alone",
            "Every node of the cluster as ID@HOST:CONTROLLER_PORT, comma-separated, this one included; at most "
                    + MAX_VOTERS + ".",
            Setting.text(MAX_VOTERS * 270));
    static final Setting<String> CLUSTER_ID = Setting.described(
            "cluster-id",
            "ID",
            "derived from --controller-quorum, so nodes given the same quorum agree; random for a single node",
            "The id every node of the cluster is formatted with (22 characters of base64url).",
            Setting.matching(Pattern.compile("[A-Za-z0-9_-]{22}"), "a Kafka cluster id (22 characters of base64url)"));
    static final Setting<String> ADVERTISED = Setting.described(
            "advertised",
            "HOST:PORT",
            "--address and --port",
            "The address clients are given for this node.",
            Setting.matching(Pattern.compile("[A-Za-z0-9.-]{1,253}:\\d{1,5}"), "HOST:PORT"));

    @Spec
    CommandSpec spec;

    private Path dataDir;
    private String address;
    private int port;
    private int controllerPort;
    private int nodeId;
    private String quorum;
    private String clusterId;
    private String advertised;

    @Override
    public List<Setting<?>> settings() {
        return List.of(DATA_DIR, ADDRESS, PORT, CONTROLLER_PORT, NODE_ID, QUORUM, CLUSTER_ID, ADVERTISED);
    }

    private static final String EVERY_INTERFACE = "0.0.0.0";

    private static final Pattern VOTER = Pattern.compile("(\\d{1,4})@([A-Za-z0-9.-]{1,253}):(\\d{1,5})");

    @Override
    public Integer call() throws Exception {
        ServiceRunner runner = new ServiceRunner("kafka");
        List<String> problems = new ArrayList<>();
        SettingValues values = new SettingValues(spec, problems);
        dataDir = values.get(DATA_DIR);
        address = values.get(ADDRESS);
        port = values.get(PORT);
        controllerPort = values.get(CONTROLLER_PORT);
        nodeId = values.get(NODE_ID);
        quorum = values.find(QUORUM).orElse(null);
        clusterId = values.find(CLUSTER_ID).orElse(null);
        advertised = values.find(ADVERTISED).orElse(null);
        if (!problems.isEmpty()) {
            return runner.refuse(problems);
        }
        if (port == controllerPort) {
            problems.add("--port and --controller-port must differ, both are " + port);
        }
        List<String> voters = voters(problems);
        if (advertised == null && EVERY_INTERFACE.equals(address)) {
            problems.add("--advertised HOST:PORT is required with --address " + EVERY_INTERFACE
                    + ": clients must be told an address they can reach");
        }
        if (!problems.isEmpty()) {
            return runner.refuse(problems);
        }
        EmbeddedKafka.Node node = new EmbeddedKafka.Node(
                nodeId,
                address,
                port,
                controllerPort,
                advertised == null ? address + ":" + port : advertised,
                voters,
                clusterId == null ? clusterIdOf(voters) : clusterId);
        EmbeddedKafka kafka;
        try {
            kafka = EmbeddedKafka.persistent(dataDir, node);
        } catch (RuntimeException e) {
            return runner.refuse(List.of("the broker did not start: " + rootMessage(e)));
        }
        runner.print("ready at " + kafka.bootstrapServers() + ", data in " + dataDir.toAbsolutePath()
                + (voters.size() > 1 ? " (node " + nodeId + " of " + voters.size() + ")" : ""));
        return runner.serve(null, null, new Running(kafka));
    }

    /** The quorum: given, or this node alone; every problem added to {@code problems}. */
    private List<String> voters(List<String> problems) {
        if (quorum == null) {
            // a node listening on every interface reaches its own controller on the loopback
            return List.of(
                    nodeId + "@" + (EVERY_INTERFACE.equals(address) ? "127.0.0.1" : address) + ":" + controllerPort);
        }
        List<String> voters = List.of(quorum.split(",", -1));
        Set<String> ids = new HashSet<>();
        for (String v : voters) {
            Matcher m = VOTER.matcher(v.strip());
            if (!m.matches()) {
                problems.add("--controller-quorum: '" + v + "' is not ID@HOST:PORT");
            } else if (!ids.add(m.group(1))) {
                problems.add("--controller-quorum names node " + m.group(1) + " twice");
            }
        }
        if (voters.size() > MAX_VOTERS) {
            problems.add("--controller-quorum has " + voters.size() + " nodes, at most " + MAX_VOTERS);
        }
        if (!ids.contains(Integer.toString(nodeId))) {
            problems.add("--controller-quorum does not name this node (--node-id " + nodeId + ")");
        }
        return voters.stream().map(String::strip).toList();
    }

    /**
     * A cluster id derived from the quorum, so that nodes given the same quorum are formatted with
     * the same id without one being passed around; a single node's is random.
     */
    static String clusterIdOf(List<String> voters) {
        if (voters.size() == 1) {
            return Uuid.randomUuid().toString();
        }
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256")
                    .digest(String.join(",", voters.stream().sorted().toList()).getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.wrap(sha);
            return new Uuid(b.getLong() | 2, b.getLong()).toString(); // never one of Kafka's reserved ids (0, 1)
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }

    /** The broker as the runner drives it: it runs until stopped. */
    private static final class Running implements ServiceRunner.Service {

        private final EmbeddedKafka kafka;
        private final CountDownLatch stopped = new CountDownLatch(1);

        Running(EmbeddedKafka kafka) {
            this.kafka = kafka;
        }

        @Override
        public ExitCode run() throws InterruptedException {
            stopped.await();
            return ExitCode.OK;
        }

        @Override
        public void stop() {
            try {
                kafka.close();
            } finally {
                stopped.countDown();
            }
        }

        @Override
        public HttpEndpoint.Health health() {
            return new HttpEndpoint.Health(true, "{\"status\":\"UP\"}");
        }
    }
}
