package io.segstream.testkit;

/** A running Kafka broker an integration test can use. */
public interface KafkaBroker {

    String bootstrapServers();

    /** "testcontainers" or "embedded": which backend this test run got. */
    String backend();
}
