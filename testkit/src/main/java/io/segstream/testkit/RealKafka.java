package io.segstream.testkit;

import io.segstream.broker.EmbeddedKafka;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Gives an integration test a real Kafka broker as a {@link KafkaBroker} parameter: Testcontainers'
 * Kafka when a Docker engine is reachable, the in-process KRaft broker otherwise. One broker is
 * shared by all tests of a run and stopped at its end.
 *
 * <p>The system property {@code segstream.test.kafka} forces a backend: {@code auto} (default),
 * {@code embedded}, or {@code testcontainers} (tests are skipped when no Docker engine is reachable).
 */
public final class RealKafka implements ParameterResolver, ExecutionCondition {

    public static final String BACKEND_PROPERTY = "segstream.test.kafka";
    static final String KAFKA_IMAGE = "apache/kafka:4.1.0";

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
            case "auto" ->
                dockerReachable()
                        ? store.getOrComputeIfAbsent("testcontainers", k -> new Container(), Container.class)
                        : store.getOrComputeIfAbsent("embedded", k -> new Embedded(), Embedded.class);
            default ->
                throw new IllegalArgumentException(
                        BACKEND_PROPERTY + " must be auto, embedded or testcontainers, got " + wanted);
        };
    }

    /** Skips a test that needs the Testcontainers backend where no Docker engine is reachable. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean wantsContainer = context.getTestMethod()
                        .map(m -> Arrays.stream(m.getParameters()).anyMatch(RealKafka::pinnedToContainer))
                        .orElse(false)
                || "testcontainers".equalsIgnoreCase(System.getProperty(BACKEND_PROPERTY, "auto"));
        if (wantsContainer && !dockerReachable()) {
            return ConditionEvaluationResult.disabled(
                    "no Docker engine reachable: the Testcontainers Kafka backend runs only where one is");
        }
        return ConditionEvaluationResult.enabled("a broker backend is available");
    }

    private static boolean pinnedToContainer(Parameter p) {
        Backend b = p.getAnnotation(Backend.class);
        return b != null && b.value().equalsIgnoreCase("testcontainers");
    }

    static boolean dockerReachable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
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
        private final KafkaContainer kafka;

        Container() {
            kafka = new KafkaContainer(KAFKA_IMAGE)
                    .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(17 * 1024 * 1024))
                    .withEnv("KAFKA_REPLICA_FETCH_MAX_BYTES", Integer.toString(17 * 1024 * 1024));
            kafka.start();
        }

        @Override
        public String bootstrapServers() {
            return kafka.getBootstrapServers();
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
