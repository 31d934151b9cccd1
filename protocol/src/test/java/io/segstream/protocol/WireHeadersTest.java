package io.segstream.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class WireHeadersTest {

    private final FrameMeta frame = new FrameMeta(
            UUID.randomUUID(), 41, 1_640_000, 1_700_000_000_123_456L, 1280, 720, ImageEncoding.JPEG, 38, 25.0, false);

    @Test
    void shouldReadBackTheFrameIdentityItWrote() {
        RecordHeaders headers = new RecordHeaders();

        WireHeaders.writeFrame(headers, "cam", frame);

        assertThat(WireHeaders.isEndOfStream(headers)).isFalse();
        assertThat(WireHeaders.readFrame(headers)).isEqualTo(frame);
    }

    @Test
    void shouldWriteEveryHeaderAsTextAndTheRecordAsACloudEvent() {
        RecordHeaders headers = new RecordHeaders();

        WireHeaders.writeFrame(headers, "cam1", frame);

        assertThat(text(headers, WireHeaders.SEQUENCE)).isEqualTo("41");
        assertThat(text(headers, WireHeaders.WIDTH)).isEqualTo("1280");
        assertThat(text(headers, WireHeaders.SESSION)).isEqualTo(frame.session().toString());
        assertThat(text(headers, WireHeaders.FRAME_RATE)).isEqualTo("25.0");
        assertThat(text(headers, WireHeaders.LIVE)).isEqualTo("false");
        assertThat(text(headers, WireHeaders.ENCODING)).isEqualTo("jpeg");
        assertThat(text(headers, "ce_specversion")).isEqualTo("1.0");
        assertThat(text(headers, "ce_type")).isEqualTo("io.segstream.frame");
        assertThat(text(headers, "ce_source")).isEqualTo("cam1");
        assertThat(text(headers, "ce_id")).isEqualTo(frame.session() + "/41");
        assertThat(text(headers, "ce_time")).isEqualTo("2023-11-14T22:13:20.123456Z");
        assertThat(text(headers, "content-type")).isEqualTo("image/jpeg");
        for (Header h : headers) {
            assertThat(new String(h.value(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8))
                    .as(h.key())
                    .isEqualTo(h.value());
            assertThat(new String(h.value(), StandardCharsets.UTF_8))
                    .as(h.key())
                    .matches("[\\x20-\\x7e]+");
        }
    }

    @Test
    void shouldTypeMasksStatisticsAndModelDescriptionsAsTheirOwnEvents() {
        MaskMeta mask = new MaskMeta(frame, "deeplab-test", 61_000, MaskStatus.OK);
        RecordHeaders onMasks = new RecordHeaders();
        WireHeaders.writeMask(onMasks, "cam1", mask);
        RecordHeaders onStats = new RecordHeaders();
        WireHeaders.writeFrameStats(onStats, "cam1", mask);
        RecordHeaders described = new RecordHeaders();
        ModelDescription d = ModelDescription.of("deeplab-test", Cityscapes.TAXONOMY);
        WireHeaders.writeModelDescription(described, d);

        assertThat(text(onMasks, "ce_type")).isEqualTo("io.segstream.mask");
        assertThat(text(onMasks, "content-type")).isEqualTo("image/png");
        assertThat(text(onStats, "ce_type")).isEqualTo("io.segstream.frame-stats");
        assertThat(text(onStats, "content-type")).isEqualTo("application/json");
        assertThat(text(onMasks, "ce_id")).isNotEqualTo(text(onStats, "ce_id"));
        assertThat(WireHeaders.readMask(onStats)).isEqualTo(mask);
        assertThat(WireHeaders.isModelDescription(described)).isTrue();
        assertThat(WireHeaders.isModelDescription(onMasks)).isFalse();
        assertThat(text(described, "ce_id")).isEqualTo(ModelDescriptionJson.digest(d));
        assertThat(text(described, "content-type")).isEqualTo("application/json");
        RecordHeaders skipped = new RecordHeaders();
        WireHeaders.writeMask(skipped, "cam1", mask.withStatus(MaskStatus.SKIPPED_STALE));
        assertThat(skipped.lastHeader("content-type"))
                .as("an empty value has no content type")
                .isNull();
    }

    @Test
    void shouldLeaveOutTheEventTimeOfACaptureTimeWithNoRfc3339Form() {
        FrameMeta farAhead =
                new FrameMeta(frame.session(), 0, 0, Long.MAX_VALUE, 2, 2, ImageEncoding.PNG, -1, 0, false);
        RecordHeaders headers = new RecordHeaders();

        WireHeaders.writeFrame(headers, "cam1", farAhead);

        assertThat(headers.lastHeader("ce_time")).isNull();
        assertThat(WireHeaders.readFrame(headers)).isEqualTo(farAhead);
        assertThat(text(headers, "content-type")).isEqualTo("image/png");
    }

    @Test
    void shouldStillReadTheBinaryFormOfTheReleaseBefore() {
        MaskMeta mask = new MaskMeta(frame, "deeplab-test", 61_000, MaskStatus.OK, "a".repeat(64));
        RecordHeaders legacy = LegacyHeaders.mask(mask);
        RecordHeaders end = LegacyHeaders.endOfStream(new EndOfStream(frame.session(), 38));

        assertThat(WireHeaders.readMask(legacy)).isEqualTo(mask);
        assertThat(WireHeaders.readFrame(legacy)).isEqualTo(frame);
        assertThat(WireHeaders.isEndOfStream(legacy)).isFalse();
        assertThat(WireHeaders.isEndOfStream(end)).isTrue();
        assertThat(WireHeaders.readEndOfStream(end)).isEqualTo(new EndOfStream(frame.session(), 38));
    }

    @Test
    void shouldRefuseARecordInNeitherFormAndAnotherSpecVersion() {
        RecordHeaders foreign = new RecordHeaders();
        foreign.add(WireHeaders.WIDTH, "8".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> WireHeaders.readFrame(foreign))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("missing header ce_specversion (not a segstream record)");

        RecordHeaders other = new RecordHeaders();
        WireHeaders.writeFrame(other, "cam1", frame);
        other.remove("ce_specversion").add("ce_specversion", "0.3".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> WireHeaders.readFrame(other))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("header ce_specversion is '0.3', expected 1.0");
    }

    @Test
    void shouldNameTheHeaderAndTheTextThatDoesNotParse() {
        for (String[] bad : new String[][] {
            {WireHeaders.SEQUENCE, "4x", "header ss.seq is '4x', not a whole number"},
            {WireHeaders.SEQUENCE, "9".repeat(40), "header ss.seq has 40 bytes, expected a number of 1 to 32 characters"
            },
            {WireHeaders.WIDTH, "99999999999", "header ss.width is '99999999999', not a whole number within 2147483647"
            },
            {WireHeaders.FRAME_RATE, "NaN", "header ss.fps is NaN, not a finite number"},
            {WireHeaders.LIVE, "yes", "header ss.live is 'yes', expected true or false"},
            {WireHeaders.SESSION, "not-a-uuid", "header ss.session has 10 bytes, expected 36"},
            {WireHeaders.SESSION, "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "not a UUID"},
            {WireHeaders.ENCODING, "x".repeat(100_000), "unknown image encoding 'xxxxxxxxxxxxxxxx…' (expected"},
        }) {
            RecordHeaders headers = new RecordHeaders();
            WireHeaders.writeFrame(headers, "cam1", frame);
            headers.remove(bad[0]).add(bad[0], bad[1].getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> WireHeaders.readFrame(headers))
                    .as(bad[0] + "=" + bad[1])
                    .isInstanceOf(MalformedRecordException.class)
                    .hasMessageContaining(bad[2]);
        }
    }

    private static String text(RecordHeaders headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldCarryTheFrameIdentityAndModelOnAMask() {
        RecordHeaders headers = new RecordHeaders();
        MaskMeta mask = new MaskMeta(frame, "deeplab-test", 61_000, MaskStatus.SKIPPED_STALE);

        WireHeaders.writeMask(headers, "cam", mask);

        assertThat(WireHeaders.readMask(headers)).isEqualTo(mask);
        assertThat(new String(headers.lastHeader(WireHeaders.STATUS).value())).isEqualTo("skipped-stale");
    }

    @Test
    void shouldMarkTheEndOfStreamWithTheFrameCount() {
        RecordHeaders headers = new RecordHeaders();
        EndOfStream eos = new EndOfStream(frame.session(), 38);

        WireHeaders.writeEndOfStream(headers, "cam", eos);

        assertThat(WireHeaders.isEndOfStream(headers)).isTrue();
        assertThat(WireHeaders.readEndOfStream(headers)).isEqualTo(eos);
    }

    @Test
    void shouldNameTheMissingHeaderOfAMalformedRecord() {
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeFrame(headers, "cam", frame);
        headers.remove(WireHeaders.HEIGHT);

        assertThatThrownBy(() -> WireHeaders.readFrame(headers))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("missing header ss.height");
    }

    @Test
    void shouldRejectALegacyHeaderOfTheWrongWidth() {
        RecordHeaders headers = LegacyHeaders.mask(new MaskMeta(frame, "m", 1, MaskStatus.OK));
        headers.remove(WireHeaders.SEQUENCE);
        headers.add(WireHeaders.SEQUENCE, new byte[] {1, 2});

        assertThatThrownBy(() -> WireHeaders.readFrame(headers))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("ss.seq has 2 bytes, expected 8");
    }

    @Test
    void shouldCarryTheLiveFlagAndReadItsAbsenceAsRecorded() {
        FrameMeta live = new FrameMeta(UUID.randomUUID(), 0, 0, 1, 2, 2, ImageEncoding.JPEG, -1, 0, true);
        RecordHeaders headers = new RecordHeaders();
        WireHeaders.writeFrame(headers, "cam", live);

        assertThat(WireHeaders.readFrame(headers).live()).isTrue();
        assertThat(text(headers, WireHeaders.LIVE)).isEqualTo("true");
        headers.remove(WireHeaders.LIVE);
        assertThat(WireHeaders.readFrame(headers).live()).isFalse();
    }
}
