package io.segstream.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Record header names and their encodings: every value is UTF-8 text (decimal numbers, a session
 * id in its 36-character form), and every record is a CloudEvent in the Kafka binding's binary
 * content mode ({@code ce_specversion}, {@code ce_id}, {@code ce_source}: the camera,
 * {@code ce_type}, {@code ce_time}: the capture time, {@code content-type} of the value), so kcat,
 * Kafka Connect's SimpleHeaderConverter or a CloudEvents SDK read them without segstream's code.
 *
 * <p>Records written by segstream before the text form (no {@code ce_specversion}, an
 * {@code ss.type} header, numbers as big-endian binary) are still read, for one release, so a
 * rolling upgrade loses nothing that is on the topics; see {@link #LEGACY_TYPE}.
 */
public final class WireHeaders {

    public static final String CE_SPECVERSION = "ce_specversion";
    public static final String CE_ID = "ce_id";
    public static final String CE_SOURCE = "ce_source";
    public static final String CE_TYPE = "ce_type";
    public static final String CE_TIME = "ce_time";
    /** The value's media type (CloudEvents' datacontenttype in the Kafka binding). */
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION = "1.0";
    public static final String TYPE_FRAME = "io.segstream.frame";
    public static final String TYPE_MASK = "io.segstream.mask";
    public static final String TYPE_FRAME_STATS = "io.segstream.frame-stats";
    public static final String TYPE_END_OF_STREAM = "io.segstream.end-of-stream";
    public static final String TYPE_MODEL_DESCRIPTION = "io.segstream.model-description";

    /**
     * The record type of the binary form segstream wrote before the text one ("frame", "eos",
     * "model"): a record with it and without {@link #CE_SPECVERSION} is read in that form. Read
     * until the next release; never written.
     */
    public static final String LEGACY_TYPE = "ss.type";

    public static final String SESSION = "ss.session";
    public static final String SEQUENCE = "ss.seq";
    public static final String PTS_MICROS = "ss.pts-us";
    public static final String CAPTURE_MICROS = "ss.capture-us";
    public static final String WIDTH = "ss.width";
    public static final String HEIGHT = "ss.height";
    /** The frame's picture encoding, {@code jpeg} or {@code png}; on masks too (where the value is a PNG mask). */
    public static final String ENCODING = "ss.encoding";

    public static final String LENGTH_HINT = "ss.length-hint";
    /** Nominal frames per second, a decimal number, 0 when unknown. */
    public static final String FRAME_RATE = "ss.fps";
    /** {@code true} for a frame of a live camera, {@code false} (or absent) for a recorded input's. */
    public static final String LIVE = "ss.live";
    /** On a frame: the inference scale its camera asks for (e.g. "2" or "912px"); absent: the model's own. */
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

    static final String LEGACY_FRAME = "frame";
    static final String LEGACY_EOS = "eos";
    static final String LEGACY_MODEL = "model";

    /** The longest text a number header may hold (a long's 20 characters, or a double's). */
    private static final int MAX_NUMBER_CHARS = 32;
    /** Capture times after this (the year 9999) have no RFC 3339 form; such a record has no {@code ce_time}. */
    private static final long MAX_RFC3339_MICROS = 253_402_300_799_999_999L;

    private WireHeaders() {}

    /** A frame of {@code camera}: its identity, as a CloudEvent of type {@link #TYPE_FRAME} whose data is the picture. */
    public static void writeFrame(Headers headers, String camera, FrameMeta meta) {
        event(headers, TYPE_FRAME, meta.session() + "/" + meta.sequence(), camera);
        time(headers, meta.captureMicros());
        text(headers, CONTENT_TYPE, meta.encoding().mediaType());
        writeIdentity(headers, meta);
    }

    /** The mask of a frame of {@code camera} (its value a PNG when the status is {@code ok}, else empty). */
    public static void writeMask(Headers headers, String camera, MaskMeta meta) {
        event(
                headers,
                TYPE_MASK,
                meta.frame().session() + "/" + meta.frame().sequence() + "/mask/" + meta.modelId(),
                camera);
        time(headers, meta.frame().captureMicros());
        if (meta.status() == MaskStatus.OK) {
            text(headers, CONTENT_TYPE, ImageEncoding.PNG.mediaType());
        }
        writeMaskFields(headers, meta);
    }

    /** The statistics of a frame of {@code camera} (a JSON value), with its mask's headers. */
    public static void writeFrameStats(Headers headers, String camera, MaskMeta meta) {
        event(
                headers,
                TYPE_FRAME_STATS,
                meta.frame().session() + "/" + meta.frame().sequence() + "/stats",
                camera);
        time(headers, meta.frame().captureMicros());
        text(headers, CONTENT_TYPE, "application/json");
        writeMaskFields(headers, meta);
    }

    /** The end of a session of {@code camera}: an empty value on frames and masks. */
    public static void writeEndOfStream(Headers headers, String camera, EndOfStream eos) {
        event(headers, TYPE_END_OF_STREAM, eos.session() + "/end", camera);
        text(headers, SESSION, eos.session().toString());
        text(headers, FRAME_COUNT, Long.toString(eos.frameCount()));
    }

    /** The end of a session on frame-stats, whose value is the session's JSON summary. */
    public static void writeStatsEndOfStream(Headers headers, String camera, EndOfStream eos) {
        writeEndOfStream(headers, camera, eos);
        text(headers, CONTENT_TYPE, "application/json");
    }

    /**
     * Marks a record on the masks topic as a model description (key: the model id, value: its
     * {@link ModelDescriptionJson}); a segmenter sends one on each partition before its first mask
     * there. Its {@code ce_id} is the description's digest: the same description sent again is the same event.
     */
    public static void writeModelDescription(Headers headers, ModelDescription description) {
        event(
                headers,
                TYPE_MODEL_DESCRIPTION,
                ModelDescriptionJson.digest(description),
                "models/" + description.model());
        text(headers, CONTENT_TYPE, "application/json");
    }

    public static boolean isModelDescription(Headers headers) {
        return isType(headers, TYPE_MODEL_DESCRIPTION, LEGACY_MODEL);
    }

    public static boolean isEndOfStream(Headers headers) {
        return isType(headers, TYPE_END_OF_STREAM, LEGACY_EOS);
    }

    /**
     * @throws MalformedRecordException when a header is missing, does not parse or is out of range
     */
    public static EndOfStream readEndOfStream(Headers headers) {
        Form form = formOf(headers);
        try {
            return new EndOfStream(form.uuid(headers, SESSION), form.longValue(headers, FRAME_COUNT));
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("end-of-stream record: " + e.getMessage(), e);
        }
    }

    /**
     * The frame identity in the headers, every value checked: a size within {@link FrameLimits}, a
     * sequence and frame count of at least 0.
     *
     * @throws MalformedRecordException when a header is missing, does not parse or is out of range
     */
    public static FrameMeta readFrame(Headers headers) {
        Form form = formOf(headers);
        int width = form.intValue(headers, WIDTH);
        int height = form.intValue(headers, HEIGHT);
        FrameLimits.check("frame size (headers " + WIDTH + ", " + HEIGHT + ")", width, height);
        try {
            return new FrameMeta(
                    form.uuid(headers, SESSION),
                    form.longValue(headers, SEQUENCE),
                    form.longValue(headers, PTS_MICROS),
                    form.longValue(headers, CAPTURE_MICROS),
                    width,
                    height,
                    ImageEncoding.fromWire(readText(headers, ENCODING)),
                    form.longValue(headers, LENGTH_HINT),
                    form.doubleValue(headers, FRAME_RATE),
                    form.flag(headers, LIVE));
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(e.getMessage(), e);
        }
    }

    /**
     * @throws MalformedRecordException when a header is missing, does not parse or is out of range
     */
    public static MaskMeta readMask(Headers headers) {
        String model = readText(headers, MODEL);
        if (model.length() > ModelDescription.MAX_ID) {
            throw new MalformedRecordException(
                    "header " + MODEL + " has " + model.length() + " characters, at most " + ModelDescription.MAX_ID);
        }
        Form form = formOf(headers);
        try {
            return new MaskMeta(
                    readFrame(headers),
                    model,
                    form.longValue(headers, INFERENCE_MICROS),
                    MaskStatus.fromWire(readText(headers, STATUS)),
                    readModelDigest(headers));
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(e.getMessage(), e);
        }
    }

    public static void writeBatchSize(Headers headers, int frames) {
        headers.remove(BATCH);
        text(headers, BATCH, Integer.toString(frames));
    }

    /** The frames that shared a mask's model call: 1 when the header is absent, does not parse or is out of range. */
    public static int readBatchSize(Headers headers) {
        Header h = headers.lastHeader(BATCH);
        if (h == null || h.value() == null) {
            return 1;
        }
        try {
            int n = formOf(headers).intValue(headers, BATCH);
            return n >= 1 && n <= 4096 ? n : 1;
        } catch (MalformedRecordException e) {
            return 1;
        }
    }

    /** Asks the segmenter to see this frame at {@code scale}. */
    public static void writeScale(Headers headers, Scale scale) {
        headers.remove(SCALE);
        text(headers, SCALE, scale.toString());
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

    public static String readText(Headers headers, String name) {
        return new String(required(headers, name), StandardCharsets.UTF_8);
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

    private static void event(Headers headers, String type, String id, String source) {
        for (String name :
                new String[] {LEGACY_TYPE, CE_SPECVERSION, CE_ID, CE_SOURCE, CE_TYPE, CE_TIME, CONTENT_TYPE}) {
            headers.remove(name);
        }
        text(headers, CE_SPECVERSION, SPEC_VERSION);
        text(headers, CE_ID, id);
        text(headers, CE_SOURCE, source);
        text(headers, CE_TYPE, type);
    }

    /** {@code ce_time}: the capture time in RFC 3339, when it has one (years 1970 to 9999). */
    private static void time(Headers headers, long captureMicros) {
        if (captureMicros >= 0 && captureMicros <= MAX_RFC3339_MICROS) {
            Instant t = Instant.EPOCH.plus(captureMicros, ChronoUnit.MICROS);
            text(headers, CE_TIME, DateTimeFormatter.ISO_INSTANT.format(t));
        }
    }

    private static void writeMaskFields(Headers headers, MaskMeta meta) {
        writeIdentity(headers, meta.frame());
        text(headers, MODEL, meta.modelId());
        text(headers, INFERENCE_MICROS, Long.toString(meta.inferenceMicros()));
        text(headers, STATUS, meta.status().wireName());
        if (!meta.modelDigest().isEmpty()) {
            text(headers, MODEL_DIGEST, meta.modelDigest());
        }
    }

    private static void writeIdentity(Headers headers, FrameMeta meta) {
        text(headers, SESSION, meta.session().toString());
        text(headers, SEQUENCE, Long.toString(meta.sequence()));
        text(headers, PTS_MICROS, Long.toString(meta.ptsMicros()));
        text(headers, CAPTURE_MICROS, Long.toString(meta.captureMicros()));
        text(headers, WIDTH, Integer.toString(meta.width()));
        text(headers, HEIGHT, Integer.toString(meta.height()));
        text(headers, ENCODING, meta.encoding().wireName());
        text(headers, LENGTH_HINT, Long.toString(meta.lengthHint()));
        text(headers, FRAME_RATE, Double.toString(meta.frameRate()));
        text(headers, LIVE, Boolean.toString(meta.live()));
    }

    private static void text(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isType(Headers headers, String type, String legacy) {
        Header ce = headers.lastHeader(CE_TYPE);
        if (ce != null && ce.value() != null) {
            return type.equals(new String(ce.value(), StandardCharsets.UTF_8));
        }
        Header old = headers.lastHeader(LEGACY_TYPE);
        return old != null && old.value() != null && legacy.equals(new String(old.value(), StandardCharsets.UTF_8));
    }

    private static byte[] required(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        if (h == null || h.value() == null) {
            throw new MalformedRecordException("missing header " + name);
        }
        return h.value();
    }

    /** Which form a record's headers are in: text (a CloudEvent), or segstream's earlier binary one. */
    private static Form formOf(Headers headers) {
        Header spec = headers.lastHeader(CE_SPECVERSION);
        if (spec != null && spec.value() != null) {
            String v = new String(spec.value(), StandardCharsets.UTF_8);
            if (!SPEC_VERSION.equals(v)) {
                throw new MalformedRecordException(
                        "header " + CE_SPECVERSION + " is '" + Checks.shown(v) + "', expected " + SPEC_VERSION);
            }
            return Form.TEXT;
        }
        if (headers.lastHeader(LEGACY_TYPE) != null) {
            return Form.BINARY;
        }
        throw new MalformedRecordException("missing header " + CE_SPECVERSION + " (not a segstream record)");
    }

    private enum Form {
        TEXT,
        BINARY;

        long longValue(Headers headers, String name) {
            if (this == BINARY) {
                return ByteBuffer.wrap(sized(headers, name, Long.BYTES)).getLong();
            }
            String s = number(headers, name);
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new MalformedRecordException("header " + name + " is '" + s + "', not a whole number");
            }
        }

        int intValue(Headers headers, String name) {
            if (this == BINARY) {
                return ByteBuffer.wrap(sized(headers, name, Integer.BYTES)).getInt();
            }
            String s = number(headers, name);
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new MalformedRecordException(
                        "header " + name + " is '" + s + "', not a whole number within " + Integer.MAX_VALUE);
            }
        }

        double doubleValue(Headers headers, String name) {
            double v;
            if (this == BINARY) {
                v = Double.longBitsToDouble(longValue(headers, name));
            } else {
                String s = number(headers, name);
                try {
                    v = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new MalformedRecordException("header " + name + " is '" + s + "', not a number");
                }
            }
            if (!Double.isFinite(v)) {
                throw new MalformedRecordException("header " + name + " is " + v + ", not a finite number");
            }
            return v;
        }

        UUID uuid(Headers headers, String name) {
            if (this == BINARY) {
                ByteBuffer b = ByteBuffer.wrap(sized(headers, name, 16));
                return new UUID(b.getLong(), b.getLong());
            }
            byte[] raw = sized(headers, name, 36);
            String s = new String(raw, StandardCharsets.US_ASCII);
            try {
                UUID id = UUID.fromString(s);
                if (id.toString().equalsIgnoreCase(s)) {
                    return id;
                }
            } catch (IllegalArgumentException e) {
                // below
            }
            throw new MalformedRecordException(
                    "header " + name + " is '" + s + "', not a UUID (8-4-4-4-12 hex digits)");
        }

        /** Absent means false (records written before the header existed). */
        boolean flag(Headers headers, String name) {
            Header h = headers.lastHeader(name);
            if (h == null || h.value() == null) {
                return false;
            }
            if (this == BINARY) {
                return sized(headers, name, 1)[0] != 0;
            }
            String s = new String(h.value(), StandardCharsets.UTF_8);
            return switch (s) {
                case "true" -> true;
                case "false" -> false;
                default ->
                    throw new MalformedRecordException(
                            "header " + name + " is '" + Checks.shown(s) + "', expected true or false");
            };
        }

        private static String number(Headers headers, String name) {
            byte[] raw = required(headers, name);
            if (raw.length == 0 || raw.length > MAX_NUMBER_CHARS) {
                throw new MalformedRecordException("header " + name + " has " + raw.length
                        + " bytes, expected a number of 1 to " + MAX_NUMBER_CHARS + " characters");
            }
            return new String(raw, StandardCharsets.UTF_8);
        }

        private static byte[] sized(Headers headers, String name, int length) {
            byte[] raw = required(headers, name);
            if (raw.length != length) {
                throw new MalformedRecordException(
                        "header " + name + " has " + raw.length + " bytes, expected " + length);
            }
            return raw;
        }
    }
}
