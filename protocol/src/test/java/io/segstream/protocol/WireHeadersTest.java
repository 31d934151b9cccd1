package io.segstream.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class WireHeadersTest {

    private final FrameMeta frame = new FrameMeta(
            UUID.randomUUID(), 41, 1_640_000, 1_700_000_000_123_456L, 1280, 720, ImageEncoding.JPEG, 38, 25.0, false);

    @Test
    void shouldReadBackTheFrameIdentityItWrote() {
        RecordHeaders headers = new RecordHeaders();

        WireHeaders.writeFrame(headers, frame);

        assertThat(WireHeaders.isEndOfStream(headers)).isFalse();
        assertThat(WireHeaders.readFrame(headers)).isEqualTo(frame);
    }

    @Test
    void shouldEncodeNumbersAsBigEndianFixedWidth() {
        RecordHeaders headers = new RecordHeaders();

        WireHeaders.writeFrame(headers, frame);

        assertThat(headers.lastHeader(WireHeaders.SEQUENCE).value()).containsExactly(0, 0, 0, 0, 0, 0, 0, 41);
        assertThat(headers.lastHeader(WireHeaders.WIDTH).value()).containsExactly(0, 0, 5, 0);
        assertThat(headers.lastHeader(WireHeaders.SESSION).value()).hasSize(16);
        assertThat(new String(headers.lastHeader(WireHeaders.ENCODING).value())).isEqualTo("jpeg");
    }

    @Test
    void shouldCarryTheFrameIdentityAndModelOnAMask() {
        RecordHeaders headers = new RecordHeaders();
        MaskMeta mask = new MaskMeta(frame, "deeplab-test", 61_000, MaskStatus.SKIPPED_STALE);

        WireHeaders.writeMask(headers, mask);

        assertThat(WireHeaders.readMask(headers)).isEqualTo(mask);
        assertThat(new String(headers.lastHeader(WireHeaders.STATUS).value())).isEqualTo("skipped-stale");
    }

    @Test
    void shouldMarkTheEndOfStreamWithTheFrameCount() {
        RecordHeaders headers = new RecordHeaders();
        EndOfStream eos = new EndOfStream(frame.session(), 38);

        WireHeaders.writeEndOfStream(headers, eos);

        assertThat(WireHeaders.isEndOfStream(headers)).isTrue();
        assertThat(WireHeaders.readEndOfStream(headers)).isEqualTo(eos);
    }

    @Test
    void shouldNameTheMissingHeaderOfAMalformedRecord() {
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeFrame(headers, frame);
        headers.remove(WireHeaders.HEIGHT);

        assertThatThrownBy(() -> WireHeaders.readFrame(headers))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("missing header ss.height");
    }

    @Test
    void shouldRejectAHeaderOfTheWrongWidth() {
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeFrame(headers, frame);
        headers.remove(WireHeaders.SEQUENCE);
        headers.add(WireHeaders.SEQUENCE, new byte[] {1, 2});

        assertThatThrownBy(() -> WireHeaders.readFrame(headers))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("ss.seq has 2 bytes, expected 8");
    }

    @Test
    void shouldCarryTheLiveFlagAndReadItsAbsenceAsRecorded() {
        FrameMeta live = new FrameMeta(UUID.randomUUID(), 0, 0, 1, 2, 2, ImageEncoding.JPEG, -1, 0, true);
        org.apache.kafka.common.header.internals.RecordHeaders headers =
                new org.apache.kafka.common.header.internals.RecordHeaders();
        WireHeaders.writeFrame(headers, live);

        assertThat(WireHeaders.readFrame(headers).live()).isTrue();
        assertThat(headers.lastHeader(WireHeaders.LIVE).value()).containsExactly(1);
        headers.remove(WireHeaders.LIVE);
        assertThat(WireHeaders.readFrame(headers).live()).isFalse();
    }
}
