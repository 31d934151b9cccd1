package io.segstream.sink.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class StoredRecordTest {

    @Test
    void shouldKeepTimestampHeadersAndValueIncludingNullAndEmptyHeaderValues() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ss.seq", new byte[] {0, 0, 0, 0, 0, 0, 0, 7});
        headers.add("foreign", null);
        headers.add("empty", new byte[0]);
        headers.add("ss.seq", new byte[] {9});

        StoredRecord back =
                StoredRecord.fromBytes(new StoredRecord(1234L, 5678L, headers, new byte[] {1, 2, 3}).toBytes());

        assertThat(back.timestamp()).isEqualTo(1234L);
        assertThat(back.arrivedMs()).isEqualTo(5678L);
        assertThat(back.value()).containsExactly(1, 2, 3);
        assertThat(back.headers().toArray()).hasSize(4);
        assertThat(back.headers().lastHeader("foreign").value()).isNull();
        assertThat(back.headers().lastHeader("empty").value()).isEmpty();
        assertThat(back.headers().lastHeader("ss.seq").value()).containsExactly(9);
    }
}
