package io.segstream.testkit;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.segstream.broker.EmbeddedKafka;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Gives an integration test a real Kafka broker as a {@link KafkaBroker} parameter: the in-process
 * KRaft broker, or the broker image (segstream/kafka, built by deploy/images.sh: Kafka from its own
 * jars) run by Testcontainers. One broker of each kind is shared by all tests of a run and stopped
 * at its end.
 *
 * <p>The system property {@code segstream.test.kafka} forces a backend: {@code auto} (default),
 * {@code embedded}, or {@code testcontainers} (tests are skipped when no Docker engine is reachable).
 */
public final class RealKafka implements ParameterResolver, ExecutionCondition {

    public static final String BACKEND_PROPERTY = "segstream.test.kafka";
    /** The broker image: deploy/images.sh builds it from this repository. */
    public static final String KAFKA_IMAGE = "segstream/kafka:0.1.0";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String wanted = parameter
                .findAnnotation(Backend.class)
                .map(Backend::value)
                .orElse(System.getProperty(BACKEND_PROPERTY, "auto"))
                .toLowerCase(Locale.ROOT);
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(RealKafka.class));
        return switch (wanted) {
            case "embedded" -> store.getOrComputeIfAbsent("embedded", k -> new Embedded(), Embedded.class);
            case "testcontainers" ->
                store.getOrComputeIfAbsent("testcontainers", k -> new Container(), Container.class);
            case "auto" -> store.getOrComputeIfAbsent("embedded", k -> new Embedded(), Embedded.class);
            default ->
                throw new IllegalArgumentException(
                        BACKEND_PROPERTY + " must be auto, embedded or testcontainers, got " + wanted);
        };
    }

    /**
     * Skips a test that needs the Testcontainers backend where no container engine is reachable, and
     * fails it there under {@code CI=true}.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean wantsContainer = context.getTestMethod()
                        .map(m -> Arrays.stream(m.getParameters()).anyMatch(RealKafka::pinnedToContainer))
                        .orElse(false)
                || "testcontainers".equalsIgnoreCase(System.getProperty(BACKEND_PROPERTY, "auto"));
        if (wantsContainer) {
            Optional<String> why = Containers.problem(List.of(KAFKA_IMAGE));
            if (why.isPresent() && Containers.required()) {
                throw new IllegalStateException(why.get() + "; CI requires them (.ci/run prepares both)");
            }
            if (why.isPresent()) {
                return ConditionEvaluationResult.disabled(why.get());
            }
        }
        return ConditionEvaluationResult.enabled("a broker backend is available");
    }

    private static boolean pinnedToContainer(Parameter p) {
        Backend b = p.getAnnotation(Backend.class);
        return b != null && b.value().equalsIgnoreCase("testcontainers");
    }

    private static final class Embedded implements KafkaBroker, AutoCloseable {
        private final EmbeddedKafka kafka = EmbeddedKafka.start();

        @Override
        public String bootstrapServers() {
            return kafka.bootstrapServers();
        }

        @Override
        public String backend() {
            return "embedded";
        }

        @Override
        public void close() {
            kafka.close();
        }
    }

    private static final class Container implements KafkaBroker, AutoCloseable {
        private final GenericContainer<?> kafka;
        private final int port;

        /**
         * The broker listens on a port that is free on this host and advertises 127.0.0.1 on it; the
         * port is published on the host's loopback only, as the same number, so that what the broker
         * advertises is what a client here reaches.
         */
        @SuppressWarnings("resource") // stopped by close()
        Container() {
            port = Tools.freePort();
            kafka = new GenericContainer<>(DockerImageName.parse(KAFKA_IMAGE))
                    .withCommand("--port=" + port, "--advertised=127.0.0.1:" + port)
                    .withExposedPorts(port)
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                            .withPortBindings(List.of(new PortBinding(
                                    Ports.Binding.bindIpAndPort("127.0.0.1", port), ExposedPort.tcp(port)))))
                    .waitingFor(Wait.forLogMessage(".*segstream kafka: ready at.*\\n", 1)
                            .withStartupTimeout(Duration.ofMinutes(2)));
            kafka.start();
        }

        @Override
        public String bootstrapServers() {
            return "127.0.0.1:" + port;
        }

        @Override
        public String backend() {
            return "testcontainers";
        }

        @Override
        public void close() {
            kafka.stop();
        }
    }
}
