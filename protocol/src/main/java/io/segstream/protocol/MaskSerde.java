package io.segstream.protocol;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serde of the masks topic: a {@link LabelMap} as 8-bit greyscale PNG. An empty value
 * (a skipped or failed mask, an end-of-stream record) deserializes to null.
 *
 * <pre>{@code new KafkaConsumer<>(props, new StringDeserializer(), new MaskSerde().deserializer())}</pre>
 */
public final class MaskSerde implements Serde<LabelMap> {

    @Override
    public Serializer<LabelMap> serializer() {
        return (topic, map) -> map == null ? null : MaskCodec.encode(map);
    }

    @Override
    public Deserializer<LabelMap> deserializer() {
        return (topic, bytes) -> bytes == null || bytes.length == 0 ? null : MaskCodec.decode(bytes);
    }
}
