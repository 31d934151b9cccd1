package io.segstream.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Pins a {@link KafkaBroker} parameter to one backend: "embedded" or "testcontainers" (skipped
 * when no Docker engine is reachable). Without it the run's {@code segstream.test.kafka} property
 * decides, "auto" by default.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Backend {
    String value();
}
