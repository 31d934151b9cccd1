package io.segstream.sink.topology;

import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The Serde of a state store's values, from the type's own encoding: the stores hold typed values
 * and their changelogs the same bytes as before, so state written by an earlier sink still reads.
 */
final class StoreSerde {

    private StoreSerde() {}

    static <T> Serde<T> of(Function<T, byte[]> write, Function<byte[], T> read) {
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : write.apply(value),
                (topic, bytes) -> bytes == null ? null : read.apply(bytes));
    }
}
