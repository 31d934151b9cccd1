package io.segstream.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that needs a Kafka broker, a real model or asset from ../shared/assets, or a tool such as
 * Debian's ffmpeg: it runs in {@code ./mvnw verify} (failsafe, tag {@value #TAG}), never in the
 * fast {@code ./mvnw test} lane.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(IntegrationTest.TAG)
public @interface IntegrationTest {

    String TAG = "integration";
}
