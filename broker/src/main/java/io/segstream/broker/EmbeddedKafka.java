package io.segstream.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka node (KRaft, combined broker and controller) running inside this JVM, built from Kafka's
 * own server jars: a single-node cluster, or one node of several ({@link Node}). {@link #start()} listens on 127.0.0.1 on free ports, keeps its log in a
 * temporary directory and removes it on {@link #close()}; {@link #persistent} keeps its data in a
 * directory of yours across restarts ({@code segstream kafka}).
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** Room for a 4K picture plus headers; matches the topics' max.message.bytes. */
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 64 * 1024;

    private final KafkaRaftServer server;
    private final Path logDir;
    private final String bootstrapServers;
    private final boolean temporary;

    private EmbeddedKafka(KafkaRaftServer server, Path logDir, String bootstrapServers, boolean temporary) {
        this.server = server;
        this.logDir = logDir;
        this.bootstrapServers = bootstrapServers;
        this.temporary = temporary;
    }

    /**
     * A node of a KRaft cluster whose nodes are each broker and controller: its id, where it listens
     * (clients on {@code host:port}, its controller on {@code host:controllerPort}), the address it
     * gives clients ({@code advertised}, {@code host:port}), the controller quorum ({@code id@host:port}
     * of every node, its own included) and the cluster id all nodes are formatted with.
     */
    public record Node(
            int id,
            String host,
            int port,
            int controllerPort,
            String advertised,
            List<String> voters,
            String clusterId) {

        public Node {
            voters = List.copyOf(voters);
        }

        /** A cluster of this one node, on {@code host}. */
        public static Node single(String host, int port, int controllerPort) {
            return new Node(
                    1,
                    host,
                    port,
                    controllerPort,
                    host + ":" + port,
                    List.of("1@" + host + ":" + controllerPort),
                    Uuid.randomUuid().toString());
        }

        /**
         * How many copies the cluster keeps of the topics it creates for itself (offsets,
         * transactions) and of topics created with its default: 3 with three nodes or more, else one
         * per node; at least 2 in sync for a write with three or more.
         */
        int replicationFactor() {
            return Math.min(3, voters.size());
        }

        int minInSync() {
            return replicationFactor() >= 3 ? 2 : 1;
        }
    }

    /**
     * Starts a broker whose data lives in {@code dataDir} (formatted when it holds no broker yet,
     * kept as it is otherwise), listening for clients on {@code host:port} and for its controller on
     * {@code host:controllerPort}; waits until it answers. {@link #close()} shuts it down and keeps
     * the data.
     */
    public static EmbeddedKafka persistent(Path dataDir, String host, int port, int controllerPort) {
        return persistent(dataDir, Node.single(host, port, controllerPort));
    }

    /**
     * Starts {@code node} of a cluster on {@code dataDir} (formatted with the node's id and the
     * cluster id when it holds no broker yet) and waits until it answers, which takes the quorum: a
     * majority of the controllers must be up.
     */
    public static EmbeddedKafka persistent(Path dataDir, Node node) {
        String host = node.host();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the broker's data directory " + dataDir + ": " + e.getMessage(), e);
        }
        boolean formatted = Files.exists(dataDir.resolve("meta.properties"));
        if (!formatted) {
            format(dataDir, node, false, List.of());
        }
        Properties props = serverProperties(dataDir, node);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        String bootstrap = node.advertised();
        EmbeddedKafka kafka = new EmbeddedKafka(server, dataDir, bootstrap, false);
        try {
            server.startup();
            kafka.awaitReady(Map.of());
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        LOG.info(
                "Kafka (KRaft) node {} of {} ready at {} with its data in {}{}",
                node.id(),
                node.voters().size(),
                bootstrap,
                dataDir,
                formatted ? "" : " (new)");
        return kafka;
    }

    /**
     * What a secured broker needs: its TLS key (a PKCS12 keystore whose certificate names
     * 127.0.0.1), the truststore its own clients check it with, and the SCRAM-SHA-512 users (name →
     * password) it knows from the start, among them {@code admin}, the super user the broker itself
     * connects as.
     */
    public record Security(
            Path keystore,
            String keystorePassword,
            Path truststore,
            String truststorePassword,
            String admin,
            Map<String, String> users) {
        public Security {
            users = Map.copyOf(users);
            if (!users.containsKey(admin)) {
                throw new IllegalArgumentException("the users must include the super user " + admin);
            }
        }
    }

    /** Formats a fresh log directory, starts the broker and waits until it answers. */
    public static EmbeddedKafka start() {
        return start(Optional.empty());
    }

    /**
     * A broker whose only client listener is SASL_SSL (SCRAM-SHA-512 over TLS) with Kafka's
     * StandardAuthorizer: only the super user may do anything until ACLs say otherwise.
     * {@link #bootstrapServers()} is that listener.
     */
    public static EmbeddedKafka secured(Security security) {
        return start(Optional.of(security));
    }

    private static EmbeddedKafka start(Optional<Security> security) {
        Path logDir;
        try {
            logDir = Files.createTempDirectory("segstream-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a log directory for the embedded Kafka", e);
        }
        int port = freePort();
        int controllerPort = freePort();
        Node node = Node.single("127.0.0.1", port, controllerPort);
        Properties props = serverProperties(logDir, node);
        security.ifPresent(sec -> secure(props, sec, port, controllerPort));
        format(logDir, node, true, security.map(sec -> scram(sec.users())).orElse(List.of()));
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        String bootstrap = "127.0.0.1:" + port;
        EmbeddedKafka kafka = new EmbeddedKafka(server, logDir, bootstrap, true);
        try {
            server.startup();
            kafka.awaitReady(security.map(EmbeddedKafka::adminClient).orElse(Map.of()));
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        LOG.info("Embedded Kafka (KRaft) ready at {} with its log in {}", bootstrap, logDir);
        return kafka;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The directory holding the broker's log (a temporary one is gone after {@link #close()}). */
    public Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (temporary) {
                deleteRecursively(logDir);
            }
        }
    }

    private static Properties serverProperties(Path logDir, Node node) {
        String host = node.host();
        String rf = Integer.toString(node.replicationFactor());
        String minIsr = Integer.toString(node.minInSync());
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", Integer.toString(node.id())),
                Map.entry("controller.quorum.voters", String.join(",", node.voters())),
                Map.entry(
                        "listeners",
                        "PLAINTEXT://" + host + ":" + node.port() + ",CONTROLLER://" + host + ":"
                                + node.controllerPort()),
                Map.entry("advertised.listeners", "PLAINTEXT://" + node.advertised()),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", logDir.toString()),
                Map.entry("num.partitions", "1"),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("offsets.topic.replication.factor", rf),
                Map.entry("offsets.topic.num.partitions", "4"),
                Map.entry("transaction.state.log.replication.factor", rf),
                Map.entry("transaction.state.log.min.isr", minIsr),
                Map.entry("transaction.state.log.num.partitions", "4"),
                Map.entry("share.coordinator.state.topic.replication.factor", rf),
                Map.entry("share.coordinator.state.topic.min.isr", minIsr),
                // topics created with the cluster's default (Kafka Streams' internal topics among them)
                Map.entry("default.replication.factor", rf),
                Map.entry("min.insync.replicas", minIsr),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES)),
                Map.entry("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES)),
                Map.entry("log.flush.interval.messages", Long.toString(Long.MAX_VALUE)),
                Map.entry("log.segment.bytes", Integer.toString(64 * 1024 * 1024))));
        return p;
    }

    /** The server settings of a SASL_SSL-only client listener with SCRAM and ACLs. */
    private static void secure(Properties p, Security s, int port, int controllerPort) {
        String admin = s.admin();
        p.put("listeners", "SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "SASL_SSL");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        p.put(
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                jaas(admin, s.users().get(admin)));
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", s.keystore().toString());
        p.put("ssl.keystore.password", s.keystorePassword());
        p.put("ssl.key.password", s.keystorePassword());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", s.truststore().toString());
        p.put("ssl.truststore.password", s.truststorePassword());
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // the broker reaches its own controller over the local PLAINTEXT controller listener as ANONYMOUS
        p.put("super.users", "User:" + admin + ";User:ANONYMOUS");
        p.put("allow.everyone.if.no.acl.found", "false");
    }

    /** The client settings of the super user, for the broker's own readiness check. */
    private static Map<String, String> adminClient(Security s) {
        return client(s, s.admin());
    }

    /** The client settings of {@code user} on a secured broker: SASL_SSL, SCRAM-SHA-512, its truststore. */
    public static Map<String, String> client(Security s, String user) {
        return Map.of(
                "security.protocol",
                "SASL_SSL",
                "sasl.mechanism",
                "SCRAM-SHA-512",
                "sasl.jaas.config",
                jaas(user, s.users().get(user)),
                "ssl.truststore.type",
                "PKCS12",
                "ssl.truststore.location",
                s.truststore().toString(),
                "ssl.truststore.password",
                s.truststorePassword());
    }

    /** A SCRAM login of {@code user}. */
    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private static List<String> scram(Map<String, String> users) {
        return users.entrySet().stream()
                .map(u -> "SCRAM-SHA-512=[name=" + u.getKey() + ",password=" + u.getValue() + "]")
                .toList();
    }

    private static void format(Path logDir, Node node, boolean deleteOnFailure, List<String> scramUsers) {
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setNodeId(node.id())
                    .setClusterId(node.clusterId())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDir.toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setScramArguments(scramUsers)
                    // Transactions v2 makes Kafka Streams' first transactional writes race with
                    // the broker (CONCURRENT_TRANSACTIONS, then OUT_OF_ORDER_SEQUENCE_NUMBER,
                    // retried and harmless but logged as errors); v1 gives the same guarantees.
                    .setFeatureLevel("transaction.version", (short) 1)
                    .run();
        } catch (Exception e) {
            if (deleteOnFailure) {
                deleteRecursively(logDir);
            }
            throw new IllegalStateException(
                    "cannot format the embedded Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Map<String, String> client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("embedded Kafka did not become ready within " + READY_TIMEOUT, e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not remove the embedded Kafka log directory {}: {}", dir, e.getMessage());
        }
    }
}
