package io.segstream.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Record header names and their binary encodings. Numbers are big-endian two's complement
 * (long: 8 bytes, int: 4 bytes, double: its IEEE 754 bits as a long), a session id is its UUID's 16 bytes, text is UTF-8.
 */
public final class WireHeaders {

    /** "frame", "eos" (end of stream) or, on masks, "model" (a model description). */
    public static final String TYPE = "ss.type";

    public static final String SESSION = "ss.session";
    public static final String SEQUENCE = "ss.seq";
    public static final String PTS_MICROS = "ss.pts-us";
    public static final String CAPTURE_MICROS = "ss.capture-us";
    public static final String WIDTH = "ss.width";
    public static final String HEIGHT = "ss.height";
    public static final String ENCODING = "ss.encoding";
    public static final String LENGTH_HINT = "ss.length-hint";
    /** Nominal frames per second as an IEEE 754 double (8 bytes), 0 when unknown. */
    public static final String FRAME_RATE = "ss.fps";
    /** 1 for a frame of a live camera, 0 (or absent) for a recorded input's. */
    public static final String LIVE = "ss.live";
    /** On a frame: the inference scale its camera asks for (text, e.g. "2" or "912px"); absent: the model's own. */
    public static final String SCALE = "ss.scale";
    /** On an end-of-stream record: the number of frames the session published. */
    public static final String FRAME_COUNT = "ss.frame-count";

    public static final String MODEL = "ss.model";
    public static final String INFERENCE_MICROS = "ss.infer-us";
    /** On a mask: how many frames shared the model call whose time {@link #INFERENCE_MICROS} is. */
    public static final String BATCH = "ss.batch";

    public static final String STATUS = "ss.status";
    /** On masks (and frame-stats): the SHA-256 of the model description the mask was made with, 64 hex digits. */
    public static final String MODEL_DIGEST = "ss.model-digest";

    static final String TYPE_FRAME = "frame";
    static final String TYPE_EOS = "eos";
    static final String TYPE_MODEL = "model";

    private WireHeaders() {}

    public static void writeFrame(Headers headers, FrameMeta meta) {
        headers.remove(TYPE);
        headers.add(TYPE, utf8(TYPE_FRAME));
        writeIdentity(headers, meta);
    }

    public static void writeMask(Headers headers, MaskMeta meta) {
        writeFrame(headers, meta.frame());
        headers.add(MODEL, utf8(meta.modelId()));
        headers.add(INFERENCE_MICROS, longBytes(meta.inferenceMicros()));
        headers.add(STATUS, utf8(meta.status().wireName()));
        if (!meta.modelDigest().isEmpty()) {
            headers.add(MODEL_DIGEST, utf8(meta.modelDigest()));
        }
    }

    public static void writeEndOfStream(Headers headers, EndOfStream eos) {
        headers.add(TYPE, utf8(TYPE_EOS));
        headers.add(SESSION, uuidBytes(eos.session()));
        headers.add(FRAME_COUNT, longBytes(eos.frameCount()));
    }

    /**
     * Marks a record on the masks topic as a model description (key: the model id, value: its
     * {@link ModelDescriptionJson}); a segmenter sends one on each partition before its first mask there.
     */
    public static void writeModelDescription(Headers headers) {
        headers.remove(TYPE);
        headers.add(TYPE, utf8(TYPE_MODEL));
    }

    public static boolean isModelDescription(Headers headers) {
        Header h = headers.lastHeader(TYPE);
        return h != null && h.value() != null && TYPE_MODEL.equals(new String(h.value(), StandardCharsets.UTF_8));
    }

    public static boolean isEndOfStream(Headers headers) {
        return TYPE_EOS.equals(readText(headers, TYPE));
    }

    /**
     * @throws MalformedRecordException when a header is missing, of the wrong size or out of range
     */
    public static EndOfStream readEndOfStream(Headers headers) {
        try {
            return new EndOfStream(readUuid(headers, SESSION), readLong(headers, FRAME_COUNT));
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("end-of-stream record: " + e.getMessage(), e);
        }
    }

    /**
     * The frame identity in the headers, every value checked: a size within {@link FrameLimits}, a
     * sequence and frame count of at least 0.
     *
     * @throws MalformedRecordException when a header is missing, of the wrong size or out of range
     */
    public static FrameMeta readFrame(Headers headers) {
        int width = readInt(headers, WIDTH);
        int height = readInt(headers, HEIGHT);
        FrameLimits.check("frame size (headers " + WIDTH + ", " + HEIGHT + ")", width, height);
        try {
            return new FrameMeta(
                    readUuid(headers, SESSION),
                    readLong(headers, SEQUENCE),
                    readLong(headers, PTS_MICROS),
                    readLong(headers, CAPTURE_MICROS),
                    width,
                    height,
                    ImageEncoding.fromWire(readText(headers, ENCODING)),
                    readLong(headers, LENGTH_HINT),
                    Double.longBitsToDouble(readLong(headers, FRAME_RATE)),
                    readFlag(headers, LIVE));
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(e.getMessage(), e);
        }
    }

    /**
     * @throws MalformedRecordException when a header is missing, of the wrong size or out of range
     */
    public static MaskMeta readMask(Headers headers) {
        String model = readText(headers, MODEL);
        if (model.length() > ModelDescription.MAX_ID) {
            throw new MalformedRecordException(
                    "header " + MODEL + " has " + model.length() + " characters, at most " + ModelDescription.MAX_ID);
        }
        try {
            return new MaskMeta(
                    readFrame(headers),
                    model,
                    readLong(headers, INFERENCE_MICROS),
                    MaskStatus.fromWire(readText(headers, STATUS)),
                    readModelDigest(headers));
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(e.getMessage(), e);
        }
    }

    /** The mask's model digest, empty when absent; one of another form is malformed. */
    private static String readModelDigest(Headers headers) {
        Header h = headers.lastHeader(MODEL_DIGEST);
        if (h == null || h.value() == null) {
            return "";
        }
        if (h.value().length != 64) {
            throw new MalformedRecordException(
                    "header " + MODEL_DIGEST + " has " + h.value().length + " bytes, expected 64 hex digits");
        }
        return new String(h.value(), StandardCharsets.US_ASCII);
    }

    private static void writeIdentity(Headers headers, FrameMeta meta) {
        headers.add(SESSION, uuidBytes(meta.session()));
        headers.add(SEQUENCE, longBytes(meta.sequence()));
        headers.add(PTS_MICROS, longBytes(meta.ptsMicros()));
        headers.add(CAPTURE_MICROS, longBytes(meta.captureMicros()));
        headers.add(WIDTH, intBytes(meta.width()));
        headers.add(HEIGHT, intBytes(meta.height()));
        headers.add(ENCODING, utf8(meta.encoding().wireName()));
        headers.add(LENGTH_HINT, longBytes(meta.lengthHint()));
        headers.add(FRAME_RATE, longBytes(Double.doubleToLongBits(meta.frameRate())));
        headers.add(LIVE, new byte[] {(byte) (meta.live() ? 1 : 0)});
    }

    public static void writeBatchSize(Headers headers, int frames) {
        headers.remove(BATCH);
        headers.add(BATCH, intBytes(frames));
    }

    /** The frames that shared a mask's model call: 1 when the header is absent or out of range. */
    public static int readBatchSize(Headers headers) {
        Header h = headers.lastHeader(BATCH);
        if (h == null || h.value() == null || h.value().length != Integer.BYTES) {
            return 1;
        }
        int n = ByteBuffer.wrap(h.value()).getInt();
        return n >= 1 && n <= 4096 ? n : 1;
    }

    /** Asks the segmenter to see this frame at {@code scale}. */
    public static void writeScale(Headers headers, Scale scale) {
        headers.remove(SCALE);
        headers.add(SCALE, utf8(scale.toString()));
    }

    /**
     * The scale a frame asks for, if any.
     *
     * @throws MalformedRecordException when the header is not a scale within bounds
     */
    public static Optional<Scale> readScale(Headers headers) {
        Header h = headers.lastHeader(SCALE);
        if (h == null || h.value() == null) {
            return Optional.empty();
        }
        if (h.value().length > 16) {
            throw new MalformedRecordException("header " + SCALE + " has " + h.value().length + " bytes, at most 16");
        }
        try {
            return Optional.of(Scale.parse(new String(h.value(), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("header " + SCALE + ": " + e.getMessage());
        }
    }

    /** A one-byte flag; absent means false (records written before the header existed). */
    public static boolean readFlag(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        if (h == null || h.value() == null) {
            return false;
        }
        if (h.value().length != 1) {
            throw new MalformedRecordException("header " + name + " has " + h.value().length + " bytes, expected 1");
        }
        return h.value()[0] != 0;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] longBytes(long v) {
        return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
    }

    static byte[] intBytes(int v) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(v).array();
    }

    static byte[] uuidBytes(UUID id) {
        return ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits())
                .array();
    }

    private static byte[] required(Headers headers, String name, int length) {
        Header h = headers.lastHeader(name);
        if (h == null || h.value() == null) {
            throw new MalformedRecordException("missing header " + name);
        }
        if (length >= 0 && h.value().length != length) {
            throw new MalformedRecordException(
                    "header " + name + " has " + h.value().length + " bytes, expected " + length);
        }
        return h.value();
    }

    public static String readText(Headers headers, String name) {
        return new String(required(headers, name, -1), StandardCharsets.UTF_8);
    }

    public static long readLong(Headers headers, String name) {
        return ByteBuffer.wrap(required(headers, name, Long.BYTES)).getLong();
    }

    public static int readInt(Headers headers, String name) {
        return ByteBuffer.wrap(required(headers, name, Integer.BYTES)).getInt();
    }

    public static UUID readUuid(Headers headers, String name) {
        ByteBuffer b = ByteBuffer.wrap(required(headers, name, 16));
        return new UUID(b.getLong(), b.getLong());
    }
}
