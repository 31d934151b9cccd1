package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.segstream.ingest.config.CamerasFile;
import io.segstream.protocol.Groups;
import io.segstream.protocol.Topics;
import io.segstream.testkit.IntegrationTest;
import io.segstream.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The deployment files against the code: docker-compose.yml parses (Debian's docker-compose) and
 * every Kustomize overlay renders (kubectl kustomize); every SEGSTREAM_* variable they set is one
 * the service reads; topic names, partition counts, consumer group, ports and health paths agree
 * with the services; every Dockerfile copies files that exist and builds modules that exist.
 */
@IntegrationTest
class DeployManifestsTest {

    private static final Path ROOT =
            Path.of(System.getProperty("segstream.root")).toAbsolutePath();
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final String DOCKERFILE = "deploy/Dockerfile";
    private static final Map<String, CommandSpec> SERVICES = services();
    /** Deployment / compose service / container name to the segstream command it runs. */
    private static final Map<String, String> COMMAND_OF =
            Map.of("ingest", "ingest", "segmenter", "segment", "segmenter-cpu", "segment", "sink", "sink");

    @TempDir
    Path work;

    @Test
    void shouldParseTheComposeFileWithDockerCompose() throws Exception {
        Path compose = Tools.dockerCompose();
        for (String profile : List.of("cpu", "gpu")) {
            Process p = new ProcessBuilder(compose.toString(), "--profile", profile, "config", "-q")
                    .directory(ROOT.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor())
                    .as("docker-compose --profile %s config: %s", profile, out)
                    .isZero();
        }
    }

    @Test
    void shouldSetOnlyVariablesTheComposeServicesReadOnTheirPorts() throws Exception {
        JsonNode services =
                YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).get("services");
        Map<String, String> prometheusTargets = prometheusTargets();
        for (Map.Entry<String, String> s : COMMAND_OF.entrySet()) {
            JsonNode service = services.get(s.getKey());
            assertThat(service).as("compose service %s", s.getKey()).isNotNull();
            Map<String, String> env = new HashMap<>();
            service.get("environment")
                    .fields()
                    .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            assertVariablesRead(s.getValue(), env.keySet(), "compose service " + s.getKey());
            String port = env.getOrDefault("SEGSTREAM_METRICS_PORT", defaultOf(s.getValue(), "--metrics-port"));
            assertThat(service.get("ports").toString())
                    .as(
                            "published port of %s (a segmenter's on a port the engine picks, so that it scales)",
                            s.getKey())
                    .containsPattern("\"(?:[^\"]*:)?" + port + "\"");
            assertThat(prometheusTargets)
                    .as("Prometheus target of %s", s.getKey())
                    .containsEntry(s.getKey(), port);
            assertThat(service.get("build").get("dockerfile").asText()).isEqualTo(DOCKERFILE);
            String target = service.get("build").get("target").asText();
            assertThat(entrypointCommand(target))
                    .as("command of target %s", target)
                    .isEqualTo(s.getValue());
        }
        String topics = services.get("topics").get("command").toString();
        Topics names = Topics.DEFAULT;
        for (String t : List.of(
                names.frames(),
                names.masks(),
                names.frameStats(),
                names.cameraStats(),
                names.models(),
                names.cameras())) {
            assertThat(topics).as("compose creates topic %s", t).contains(t);
        }
        assertThat(topics).contains("--topic cameras", "--partitions " + Topics.CAMERA_PARTITIONS);
        // the cameras are data: ingest has none of its own, the one-shot service imports the file
        assertThat(services.get("ingest").get("environment").has("SEGSTREAM_CONFIG"))
                .as("compose ingest reads the cameras topic, not a file")
                .isFalse();
        assertThat(services.get("ingest").get("ports").toString())
                .as("ingest scales (--scale ingest=N): its port is the engine's choice")
                .doesNotContain(":9400");
        JsonNode importer = services.get("cameras");
        assertThat(importer.get("entrypoint").toString()).contains("\"cameras\"");
        assertThat(importer.get("command").toString())
                .contains("\"import\"", "/etc/segstream/cameras.yaml")
                .contains("--bootstrap-servers=kafka:9092");
        assertThat(importer.get("volumes").toString()).contains("./deploy/compose/cameras.yaml");
        assertThat(topics).contains("max.message.bytes=" + Topics.MAX_RECORD_BYTES);
        assertThat(CamerasFile.load(ROOT.resolve("deploy/compose/cameras.yaml")))
                .hasSize(2);
    }

    @Test
    void shouldRenderEveryOverlayConsistentlyWithTheServices() throws Exception {
        Path kubectl = Tools.kubectl();
        for (String overlay : List.of("cpu", "gpu")) {
            List<JsonNode> objects = kustomize(kubectl, overlay);
            Map<String, JsonNode> topics = byKind(objects, "KafkaTopic");
            Topics names = Topics.DEFAULT;
            assertThat(topics.keySet())
                    .as("%s: KafkaTopics", overlay)
                    .containsExactlyInAnyOrder(
                            names.frames(),
                            names.masks(),
                            names.frameStats(),
                            names.cameraStats(),
                            names.models(),
                            names.cameras());
            JsonNode camerasTopic = topics.get(names.cameras()).get("spec");
            assertThat(camerasTopic.get("partitions").asInt()).isEqualTo(Topics.CAMERA_PARTITIONS);
            assertThat(camerasTopic.get("config").get("cleanup.policy").asText())
                    .isEqualTo("compact");
            int partitions =
                    topics.get(names.frames()).get("spec").get("partitions").asInt();
            assertThat(topics.get(names.masks()).get("spec").get("partitions").asInt())
                    .as("masks partitions = frames partitions")
                    .isEqualTo(partitions);
            topics.values().stream()
                    .filter(t -> !t.get("metadata").get("name").asText().equals(names.models())
                            && !t.get("metadata").get("name").asText().equals(names.cameras()))
                    .forEach(t -> assertThat(t.get("spec")
                                    .get("config")
                                    .get("max.message.bytes")
                                    .asInt())
                            .isEqualTo(Topics.MAX_RECORD_BYTES));
            assertThat(topics.get(names.models())
                            .get("spec")
                            .get("config")
                            .get("cleanup.policy")
                            .asText())
                    .isEqualTo("compact");

            Map<String, JsonNode> deployments = byKind(objects, "Deployment");
            assertThat(deployments.keySet()).containsExactlyInAnyOrder("ingest", "segmenter", "sink");
            Map<String, String> segmenterEnv = null;
            for (JsonNode d : deployments.values()) {
                String name = d.get("metadata").get("name").asText();
                JsonNode pod = d.get("spec").get("template");
                JsonNode container = pod.get("spec").get("containers").get(0);
                Map<String, String> env = new HashMap<>();
                container
                        .get("env")
                        .forEach(e ->
                                env.put(e.get("name").asText(), e.path("value").asText()));
                String command = COMMAND_OF.get(name);
                assertVariablesRead(command, env.keySet(), overlay + " Deployment " + name);
                String port = env.getOrDefault("SEGSTREAM_METRICS_PORT", defaultOf(command, "--metrics-port"));
                assertThat(container.get("ports").get(0).get("containerPort").asText())
                        .as("%s port", name)
                        .isEqualTo(port);
                assertThat(pod.get("metadata")
                                .get("annotations")
                                .get("prometheus.io/port")
                                .asText())
                        .isEqualTo(port);
                for (String probe : List.of("readinessProbe", "livenessProbe")) {
                    JsonNode get = container.get(probe).get("httpGet");
                    assertThat(get.get("port").asText()).isIn("metrics", port);
                    assertThat(get.get("path").asText())
                            .as("%s %s path", name, probe)
                            .isIn("/health", "/metrics");
                }
                assertThat(env.get("SEGSTREAM_PARTITIONS"))
                        .as("%s creates topics like the KafkaTopics", name)
                        .isEqualTo(Integer.toString(partitions));
                assertThat(env.get("SEGSTREAM_REPLICATION_FACTOR"))
                        .as("%s creates topics with the KafkaTopics' replicas", name)
                        .isEqualTo(topics.get(names.frames())
                                .get("spec")
                                .get("replicas")
                                .asText());
                if (name.equals("ingest")) {
                    assertThat(env).as("ingest shares the cameras topic").doesNotContainKey("SEGSTREAM_CONFIG");
                    assertThat(d.get("spec").get("replicas").asInt())
                            .as("ingest replicas in one group")
                            .isBetween(2, Topics.CAMERA_PARTITIONS);
                }
                if (name.equals("segmenter")) {
                    segmenterEnv = env;
                    assertThat(env.get("SEGSTREAM_DEVICE")).isEqualTo(overlay);
                    JsonNode limits = container.path("resources").path("limits");
                    assertThat(limits.has("nvidia.com/gpu"))
                            .as("GPU limit in the %s overlay", overlay)
                            .isEqualTo(overlay.equals("gpu"));
                }
            }
            JsonNode scaler = byKind(objects, "ScaledObject").get("segmenter");
            JsonNode trigger = scaler.get("spec").get("triggers").get(0).get("metadata");
            assertThat(trigger.get("topic").asText()).isEqualTo(names.frames());
            assertThat(trigger.get("consumerGroup").asText())
                    .isEqualTo(segmenterEnv.getOrDefault("SEGSTREAM_GROUP", Groups.SEGMENTER));
            assertThat(scaler.get("spec").get("scaleTargetRef").get("name").asText())
                    .isEqualTo("segmenter");
            assertThat(scaler.get("spec").get("maxReplicaCount").asInt())
                    .as("no more segmenters than partitions")
                    .isLessThanOrEqualTo(partitions);

            JsonNode cameras = objects.stream()
                    .filter(o -> o.get("kind").asText().equals("ConfigMap")
                            && o.get("metadata").get("name").asText().startsWith("segstream-cameras"))
                    .findFirst()
                    .orElseThrow();
            Path file = Files.writeString(
                    work.resolve(overlay + "-cameras.yaml"),
                    cameras.get("data").get("cameras.yaml").asText());
            assertThat(CamerasFile.load(file))
                    .as("the cameras ConfigMap is a valid cameras file")
                    .isNotEmpty();
            JsonNode job = byKind(objects, "Job").get("cameras-import");
            JsonNode importer = job.get("spec").get("template").get("spec");
            assertThat(importer.get("containers").get(0).get("args").toString())
                    .contains("\"import\"", "/etc/segstream/cameras.yaml");
            assertThat(importer.get("volumes")
                            .get(0)
                            .get("configMap")
                            .get("name")
                            .asText())
                    .isEqualTo(cameras.get("metadata").get("name").asText());
        }
    }

    @Test
    void shouldBuildEveryImageFromFilesAndModulesThatExist() throws Exception {
        List<Path> dockerfiles;
        try (Stream<Path> s = Files.walk(ROOT.resolve("deploy"))) {
            dockerfiles = s.filter(p -> p.getFileName().toString().startsWith("Dockerfile"))
                    .sorted()
                    .toList();
        }
        assertThat(dockerfiles).extracting(p -> ROOT.relativize(p).toString()).containsExactly(DOCKERFILE);
        String text = Files.readString(ROOT.resolve(DOCKERFILE), StandardCharsets.UTF_8)
                .replace("\\\n", " ");
        Set<String> copied = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("COPY ") && !line.contains("--from=")) {
                String[] parts = line.substring(5).trim().split("\\s+");
                for (int i = 0; i < parts.length - 1; i++) {
                    if (parts[i].startsWith("--")) {
                        continue; // --chmod=...
                    }
                    assertThat(ROOT.resolve(parts[i]))
                            .as("the build copies %s", parts[i])
                            .exists();
                    copied.add(parts[i].replaceAll("/.*", ""));
                }
            }
        }
        Set<String> modules = rootModules();
        assertThat(copied).as("the build copies every module the reactor reads").containsAll(modules);
        Matcher pl = Pattern.compile("-pl (\\S+)").matcher(text);
        assertThat(pl.find()).isTrue();
        for (String m : pl.group(1).split(",")) {
            assertThat(modules).as("the build builds module %s", m).contains(m);
        }
        Map<String, String> stages = stages();
        assertThat(stages).containsKeys("ingest", "segmenter", "segmenter-gpu", "sink");
        for (String image : List.of("ingest", "segmenter", "segmenter-gpu", "sink")) {
            String command = entrypointCommand(image);
            assertThat(SERVICES).as("image %s runs a segstream service", image).containsKey(command);
            Matcher expose = Pattern.compile("EXPOSE (\\d+)").matcher(stages.get(image));
            assertThat(expose.find()).as("image %s exposes a port", image).isTrue();
            assertThat(expose.group(1))
                    .as("image %s exposes the metrics port", image)
                    .isEqualTo(defaultOf(command, "--metrics-port"));
        }
        assertThat(stages.get("segmenter-gpu")).contains("--from=build-gpu").contains("SEGSTREAM_DEVICE=gpu");
        assertThat(Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8))
                .as("the GPU build's profile")
                .contains("<id>gpu</id>");
    }

    private static void assertVariablesRead(String command, Set<String> variables, String where) {
        Set<String> read = SERVICES.get(command).options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp())
                .map(EnvironmentDefaults::variable)
                .collect(Collectors.toSet());
        assertThat(variables.stream().filter(v -> v.startsWith("SEGSTREAM_")).toList())
                .as("%s sets variables segstream %s reads", where, command)
                .allSatisfy(v -> assertThat(read).contains(v));
    }

    private static String defaultOf(String command, String option) {
        return SERVICES.get(command).findOption(option).defaultValueString();
    }

    /** The build stages of the Dockerfile by name: the images are its targets. */
    private static Map<String, String> stages() throws IOException {
        Map<String, String> out = new HashMap<>();
        String[] parts = Files.readString(ROOT.resolve(DOCKERFILE), StandardCharsets.UTF_8)
                .split("(?m)^(?=FROM )");
        for (String part : parts) {
            Matcher name = Pattern.compile("^FROM \\S+ AS (\\S+)").matcher(part);
            if (name.find()) {
                out.put(name.group(1), part);
            }
        }
        return out;
    }

    private static String entrypointCommand(String target) throws IOException {
        String stage = stages().get(target);
        assertThat(stage).as("%s has a target %s", DOCKERFILE, target).isNotNull();
        Matcher m = Pattern.compile("ENTRYPOINT \\[.*\"io\\.segstream\\.app\\.Main\", \"([a-z]+)\"]")
                .matcher(stage);
        assertThat(m.find())
                .as("target %s starts io.segstream.app.Main with a command", target)
                .isTrue();
        return m.group(1);
    }

    private static Map<String, String> prometheusTargets() throws IOException {
        Map<String, String> out = new HashMap<>();
        Matcher m = Pattern.compile("\"([a-z-]+):(\\d+)\"")
                .matcher(Files.readString(ROOT.resolve("deploy/compose/prometheus.yml"), StandardCharsets.UTF_8));
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static Set<String> rootModules() throws IOException {
        Set<String> modules = new TreeSet<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (m.find()) {
            modules.add(m.group(1));
        }
        return modules;
    }

    private List<JsonNode> kustomize(Path kubectl, String overlay) throws Exception {
        Process p = new ProcessBuilder(
                        kubectl.toString(),
                        "kustomize",
                        ROOT.resolve("deploy/k8s/overlays").resolve(overlay).toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        work.resolve("kubectl.err").toFile()))
                .start();
        byte[] rendered = p.getInputStream().readAllBytes();
        assertThat(p.waitFor())
                .as(
                        "kubectl kustomize %s: %s",
                        overlay,
                        Files.exists(work.resolve("kubectl.err")) ? Files.readString(work.resolve("kubectl.err")) : "")
                .isZero();
        List<JsonNode> objects = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(rendered)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                objects.add(it.next());
            }
        }
        return objects;
    }

    private static Map<String, JsonNode> byKind(List<JsonNode> objects, String kind) {
        Map<String, JsonNode> out = new HashMap<>();
        objects.stream()
                .filter(o -> o.get("kind").asText().equals(kind))
                .forEach(o -> out.put(o.get("metadata").get("name").asText(), o));
        return out;
    }

    private static Map<String, CommandSpec> services() {
        CommandLine main = Main.commandLine(Map.of());
        Map<String, CommandSpec> out = new HashMap<>();
        for (String name : EnvironmentDefaults.SERVICES) {
            out.put(name, main.getSubcommands().get(name).getCommandSpec());
        }
        return out;
    }
}
