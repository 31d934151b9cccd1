package io.segstream.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Headers as segstream wrote them before they became text (numbers big-endian binary, the session
 * its 16 bytes, {@code ss.type} instead of {@code ce_type}): what a topic still holds during a
 * rolling upgrade. Written here byte by byte, as the release before wrote them.
 */
final class LegacyHeaders {

    private LegacyHeaders() {}

    static RecordHeaders mask(MaskMeta meta) {
        FrameMeta f = meta.frame();
        RecordHeaders h = new RecordHeaders();
        h.add("ss.type", utf8("frame"));
        h.add("ss.session", uuid(f.session()));
        h.add("ss.seq", longBytes(f.sequence()));
        h.add("ss.pts-us", longBytes(f.ptsMicros()));
        h.add("ss.capture-us", longBytes(f.captureMicros()));
        h.add("ss.width", ByteBuffer.allocate(4).putInt(f.width()).array());
        h.add("ss.height", ByteBuffer.allocate(4).putInt(f.height()).array());
        h.add("ss.encoding", utf8(f.encoding().wireName()));
        h.add("ss.length-hint", longBytes(f.lengthHint()));
        h.add("ss.fps", longBytes(Double.doubleToLongBits(f.frameRate())));
        h.add("ss.live", new byte[] {(byte) (f.live() ? 1 : 0)});
        h.add("ss.model", utf8(meta.modelId()));
        h.add("ss.infer-us", longBytes(meta.inferenceMicros()));
        h.add("ss.status", utf8(meta.status().wireName()));
        if (!meta.modelDigest().isEmpty()) {
            h.add("ss.model-digest", utf8(meta.modelDigest()));
        }
        return h;
    }

    static RecordHeaders endOfStream(EndOfStream eos) {
        RecordHeaders h = new RecordHeaders();
        h.add("ss.type", utf8("eos"));
        h.add("ss.session", uuid(eos.session()));
        h.add("ss.frame-count", longBytes(eos.frameCount()));
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static byte[] uuid(UUID id) {
        return ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits())
                .array();
    }
}
