package io.segstream.app;

import io.segstream.app.http.HttpEndpoint;
import io.segstream.broker.EmbeddedKafka;
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
import picocli.CommandLine.Option;

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
final class KafkaCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "kafka-data", paramLabel = "DIR")
    Path dataDir;

    @Option(names = "--address", defaultValue = "127.0.0.1", paramLabel = "HOST")
    String address;

    @Option(names = "--port", defaultValue = "9092")
    int port;

    @Option(names = "--controller-port", defaultValue = "9093")
    int controllerPort;

    @Option(names = "--node-id", defaultValue = "1")
    int nodeId;

    @Option(names = "--controller-quorum", paramLabel = "ID@HOST:PORT[,...]")
    String quorum;

    @Option(names = "--cluster-id", paramLabel = "ID")
    String clusterId;

    @Option(names = "--advertised", paramLabel = "HOST:PORT")
    String advertised;

    private static final String EVERY_INTERFACE = "0.0.0.0";

    /** The most nodes of a quorum. */
    static final int MAX_VOTERS = 9;

    private static final Pattern VOTER = Pattern.compile("(\\d{1,4})@([A-Za-z0-9.-]{1,253}):(\\d{1,5})");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]{1,253}:\\d{1,5}");

    @Override
    public Integer call() throws Exception {
        ServiceRunner runner = new ServiceRunner("kafka");
        List<String> problems = new ArrayList<>();
        for (int p : new int[] {port, controllerPort}) {
            if (p < 1 || p > 65535) {
                problems.add("ports must be 1-65535, got " + p);
            }
        }
        if (port == controllerPort) {
            problems.add("--port and --controller-port must differ, both are " + port);
        }
        if (!address.matches("[A-Za-z0-9.-]{1,253}")) {
            problems.add("--address must be a host name or IPv4 address, got '" + address + "'");
        }
        List<String> voters = voters(problems);
        if (advertised == null && EVERY_INTERFACE.equals(address)) {
            problems.add("--advertised HOST:PORT is required with --address " + EVERY_INTERFACE
                    + ": clients must be told an address they can reach");
        }
        if (advertised != null && !HOST_PORT.matcher(advertised).matches()) {
            problems.add("--advertised must be HOST:PORT, got '" + advertised + "'");
        }
        if (clusterId != null && !clusterId.matches("[A-Za-z0-9_-]{22}")) {
            problems.add(
                    "--cluster-id must be a Kafka cluster id (22 characters of base64url), got '" + clusterId + "'");
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
        if (nodeId < 0 || nodeId > 9999) {
            problems.add("--node-id must be 0-9999, got " + nodeId);
        }
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
