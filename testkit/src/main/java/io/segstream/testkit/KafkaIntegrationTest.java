package io.segstream.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An {@link IntegrationTest} on a real broker: its tests take a {@link KafkaBroker} parameter from
 * {@link RealKafka} (the in-process KRaft broker, or Testcontainers' Kafka where it is asked for).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@IntegrationTest
@ExtendWith(RealKafka.class)
public @interface KafkaIntegrationTest {}
