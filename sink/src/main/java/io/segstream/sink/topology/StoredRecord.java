package io.segstream.sink.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;

/**
 * A record waiting in a state store for its partner: its broker timestamp, the sink's wall-clock
 * time when it arrived, headers and value, in one byte array (the two times, header count, then
 * length-prefixed names and values with -1 for a null value, then the value).
 */
record StoredRecord(long timestamp, long arrivedMs, Headers headers, byte[] value) {

    static final Serde<StoredRecord> SERDE = StoreSerde.of(StoredRecord::toBytes, StoredRecord::fromBytes);

    /** Its size in a store, in bytes. */
    int sizeBytes() {
        int size = 2 * Long.BYTES + Integer.BYTES + Integer.BYTES + value.length;
        for (Header h : headers) {
            size += 2 * Integer.BYTES
                    + h.key().getBytes(StandardCharsets.UTF_8).length
                    + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(sizeBytes()).putLong(timestamp).putLong(arrivedMs);
        Header[] all = headers.toArray();
        b.putInt(all.length);
        for (Header h : all) {
            byte[] k = h.key().getBytes(StandardCharsets.UTF_8);
            b.putInt(k.length).put(k);
            if (h.value() == null) {
                b.putInt(-1);
            } else {
                b.putInt(h.value().length).put(h.value());
            }
        }
        return b.putInt(value.length).put(value).array();
    }

    static StoredRecord fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long timestamp = b.getLong();
        long arrivedMs = b.getLong();
        int n = b.getInt();
        RecordHeaders headers = new RecordHeaders();
        for (int i = 0; i < n; i++) {
            byte[] k = new byte[b.getInt()];
            b.get(k);
            int length = b.getInt();
            byte[] v = null;
            if (length >= 0) {
                v = new byte[length];
                b.get(v);
            }
            headers.add(new String(k, StandardCharsets.UTF_8), v);
        }
        byte[] value = new byte[b.getInt()];
        b.get(value);
        return new StoredRecord(timestamp, arrivedMs, headers, value);
    }
}
