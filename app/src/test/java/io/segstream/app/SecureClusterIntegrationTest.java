package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.segstream.broker.EmbeddedKafka;
import io.segstream.ingest.Ingest;
import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.protocol.Groups;
import io.segstream.protocol.Topics;
import io.segstream.runtime.KafkaClientProperties;
import io.segstream.runtime.TopicCreator;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.segmenter.worker.SegmenterConfig;
import io.segstream.segmenter.worker.SegmenterWorker;
import io.segstream.sink.SinkService;
import io.segstream.sink.config.SinkConfig;
import io.segstream.testkit.Assets;
import io.segstream.testkit.Clips;
import io.segstream.testkit.IntegrationTest;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline against a broker that takes only SASL/SCRAM over TLS and authorizes with ACLs: ingest,
 * segmenter and sink each as their own principal with only the topics and groups they need, and
 * the services refusing with one clear line when the credentials are wrong or the principal has no
 * ACL. Credentials come from a properties file ({@code --kafka-config}), never the command line.
 */
@IntegrationTest
class SecureClusterIntegrationTest {

    private static final String PREFIX = "sec.";
    private static final int FRAMES = 12;

    @TempDir
    Path work;

    @Test
    void shouldRunThePipelineWithOnePrincipalPerServiceAndRefuseOthersInOneLine() throws Exception {
        Map<String, String> users = Map.of(
                "admin",
                "admin-secret",
                "ingest",
                "ingest-secret",
                "segmenter",
                "segmenter-secret",
                "sink",
                "sink-secret",
                "outsider",
                "outsider-secret");
        EmbeddedKafka.Security security = tls(users);
        try (EmbeddedKafka kafka = EmbeddedKafka.secured(security)) {
            String bootstrap = kafka.bootstrapServers();
            Topics topics = Topics.withPrefix(PREFIX);
            String group = PREFIX + Groups.SEGMENTER;
            String appId = PREFIX + SinkConfig.DEFAULT_APPLICATION_ID;
            try (Admin admin = Admin.create(
                    KafkaClientProperties.admin(bootstrap, Map.of(), EmbeddedKafka.client(security, "admin")))) {
                TopicCreator.ensure(admin, topics.specs(2, (short) 1, Duration.ofHours(1)));
                admin.createAcls(acls(topics, group, appId)).all().get(30, TimeUnit.SECONDS);
            }

            // the whole pipeline, each service as its own principal
            Path clip = Clips.write(work.resolve("cam.mp4"), FRAMES, 320, 192, avcodec.AV_CODEC_ID_H264);
            Map<String, List<JsonNode>> stats;
            try (SegmentationModel model = new ModelLoader(work.resolve("cache"), DeviceChoice.CPU)
                            .load(Assets.require(Assets.SAVED_MODEL));
                    SinkService sink = new SinkService(SinkConfig.defaults(
                                    bootstrap,
                                    topics,
                                    appId,
                                    Files.createDirectories(work.resolve("state")),
                                    Optional.empty())
                            .withKafka(EmbeddedKafka.client(security, "sink")));
                    SegmenterWorker segmenter = new SegmenterWorker(
                            SegmenterConfig.defaults(bootstrap, topics)
                                    .withGroup(group)
                                    .withKafka(EmbeddedKafka.client(security, "segmenter")),
                            model);
                    Ingest ingest = new Ingest(
                            IngestConfig.defaults(bootstrap, topics)
                                    .withSegmenterGroup(group)
                                    .withKafka(EmbeddedKafka.client(security, "ingest")),
                            IngestMetrics.inMemory())) {
                sink.start();
                new Thread(segmenter, "segmenter").start();
                IngestResult result =
                        ingest.start(CameraSpec.of("cam", clip.toString())).get(3, TimeUnit.MINUTES);
                assertThat(result.succeeded()).as("ingest: %s", result.error()).isTrue();
                KafkaBroker asAdmin = broker(bootstrap);
                stats = ScaleOutIntegrationTest.frameStatsUntilEnded(
                        asAdmin, topics, Set.copyOf(result.sessions()), EmbeddedKafka.client(security, "admin"));
            }
            assertThat(stats.get("cam"))
                    .as("frame-stats through the secured cluster")
                    .extracting(s -> s.get("sequence").asLong())
                    .containsExactlyElementsOf(
                            LongStream.range(0, FRAMES).boxed().toList());
            assertThat(stats.get("cam"))
                    .allSatisfy(s -> assertThat(s.get("status").asText()).isEqualTo("ok"));

            // wrong credentials: one line, at once
            Path wrong = config("wrong.properties", security, "ingest", "not-the-password");
            String refused = refusedAtOnce(bootstrap, wrong, clip);
            assertThat(refused).contains("Authentication failed");

            // a principal without ACLs: one line, at once
            Path outsider = config("outsider.properties", security, "outsider", users.get("outsider"));
            String denied = refusedAtOnce(bootstrap, outsider, clip);
            assertThat(denied).containsIgnoringCase("authoriz");
            (refused + denied).lines().filter(l -> l.startsWith("segstream")).forEach(System.out::println);
            assertThat(denied + refused)
                    .as("no secret in the output")
                    .doesNotContain("not-the-password")
                    .doesNotContain("outsider-secret");
        }
    }

    /** The ACLs of each service's principal: what its clients read, write and create, nothing more. */
    private static List<AclBinding> acls(Topics topics, String group, String appId) {
        List<AclBinding> acls = new ArrayList<>();
        for (String service : List.of("ingest", "segmenter", "sink")) {
            // every service makes sure the topics exist (CREATE of an existing topic is answered "exists")
            acls.add(allow(ResourceType.TOPIC, PREFIX, PatternType.PREFIXED, service, AclOperation.CREATE));
            acls.add(allow(ResourceType.TOPIC, PREFIX, PatternType.PREFIXED, service, AclOperation.DESCRIBE));
        }
        acls.add(allow(ResourceType.TOPIC, topics.frames(), PatternType.LITERAL, "ingest", AclOperation.WRITE));
        acls.add(allow(ResourceType.GROUP, group, PatternType.LITERAL, "ingest", AclOperation.DESCRIBE));
        acls.add(allow(ResourceType.TOPIC, topics.frames(), PatternType.LITERAL, "segmenter", AclOperation.READ));
        acls.add(allow(ResourceType.GROUP, group, PatternType.LITERAL, "segmenter", AclOperation.READ));
        acls.add(allow(ResourceType.TOPIC, topics.masks(), PatternType.LITERAL, "segmenter", AclOperation.WRITE));
        acls.add(allow(ResourceType.TOPIC, topics.models(), PatternType.LITERAL, "segmenter", AclOperation.WRITE));
        acls.add(allow(ResourceType.TOPIC, topics.frames(), PatternType.LITERAL, "sink", AclOperation.READ));
        acls.add(allow(ResourceType.TOPIC, topics.masks(), PatternType.LITERAL, "sink", AclOperation.READ));
        acls.add(allow(ResourceType.TOPIC, topics.frameStats(), PatternType.LITERAL, "sink", AclOperation.WRITE));
        acls.add(allow(ResourceType.TOPIC, topics.cameraStats(), PatternType.LITERAL, "sink", AclOperation.WRITE));
        acls.add(allow(ResourceType.TOPIC, appId + "-", PatternType.PREFIXED, "sink", AclOperation.ALL));
        acls.add(allow(ResourceType.GROUP, appId, PatternType.LITERAL, "sink", AclOperation.READ));
        acls.add(allow(ResourceType.TRANSACTIONAL_ID, appId, PatternType.PREFIXED, "sink", AclOperation.WRITE));
        acls.add(allow(ResourceType.TRANSACTIONAL_ID, appId, PatternType.PREFIXED, "sink", AclOperation.DESCRIBE));
        return acls;
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, String user, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
    }

    /** What ingest printed when the cluster refused it at start-up with {@code kafkaConfig}, at once, exit code 2. */
    private static String refusedAtOnce(String bootstrap, Path kafkaConfig, Path clip) throws Exception {
        long t0 = System.nanoTime();
        StdErr.Captured refused = StdErr.capture(() -> Main.execute(
                "ingest",
                "--bootstrap-servers=" + bootstrap,
                "--topic-prefix=" + PREFIX,
                "--kafka-config=" + kafkaConfig,
                "--camera=cam=" + clip,
                "--metrics-port=0"));
        assertThat(refused.code()).as(refused.stderr()).isEqualTo(2);
        assertThat(refused.stderr().lines().filter(l -> !l.isBlank()))
                .as("one line")
                .singleElement()
                .asString()
                .startsWith("segstream ingest: cannot create the topics on " + bootstrap);
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .as("refused, not hung")
                .isLessThan(Duration.ofSeconds(30));
        return refused.stderr();
    }

    private Path config(String name, EmbeddedKafka.Security s, String user, String password) throws Exception {
        StringBuilder b = new StringBuilder();
        Map<String, String> props = new HashMap<>(EmbeddedKafka.client(s, user));
        props.put("sasl.jaas.config", EmbeddedKafka.jaas(user, password));
        props.forEach((k, v) ->
                b.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return Files.writeString(work.resolve(name), b.toString(), StandardCharsets.UTF_8);
    }

    private static KafkaBroker broker(String bootstrap) {
        return ServiceProcesses.broker(bootstrap, "embedded, secured");
    }

    /** A key pair for 127.0.0.1 made with the JDK's keytool, and a truststore holding its certificate. */
    private EmbeddedKafka.Security tls(Map<String, String> users) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path keystore = work.resolve("broker.p12");
        Path cert = work.resolve("broker.crt");
        Path truststore = work.resolve("trust.p12");
        String pass = "store-" + UUID.randomUUID();
        String store = "-storetype PKCS12 -storepass {}";
        keytool(
                keytool,
                "-genkeypair -alias broker -keyalg RSA -keysize 2048 -validity 2 -dname CN=127.0.0.1 "
                        + "-ext SAN=IP:127.0.0.1 -keystore {} " + store + " -keypass {}",
                keystore,
                pass,
                pass);
        keytool(keytool, "-exportcert -rfc -alias broker -keystore {} " + store + " -file {}", keystore, pass, cert);
        keytool(keytool, "-importcert -noprompt -alias broker -file {} -keystore {} " + store, cert, truststore, pass);
        return new EmbeddedKafka.Security(keystore, pass, truststore, pass, "admin", users);
    }

    /** Runs the JDK's keytool with the arguments of {@code template} ({@link Tools#words}). */
    private static void keytool(Path keytool, String template, Object... values) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(keytool.toString()));
        cmd.addAll(Tools.words(template, values));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("keytool %s: %s", cmd.get(1), out).isZero();
    }
}
