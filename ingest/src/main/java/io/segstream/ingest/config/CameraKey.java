package io.segstream.ingest.config;

import io.segstream.protocol.CameraId;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.Scale;
import io.segstream.protocol.Size;
import io.segstream.runtime.Setting;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One key of a camera in the cameras file, defined once: its name, what it takes, its default and
 * what it means. docs/cameras.md's table is this list.
 *
 * @param name         the key as written in YAML
 * @param type         what it takes, for messages and documentation
 * @param defaultValue the value when absent, as text ("" when none)
 * @param doc          what it does
 * @param parser       turns the written value into the typed one, or throws IllegalArgumentException saying why
 */
public record CameraKey<T>(String name, String type, String defaultValue, String doc, Function<String, T> parser) {

    public static final CameraKey<String> ID = new CameraKey<>(
            "id",
            "string",
            "",
            "camera id: the record key on every topic and the output directory name; " + CameraId.RULE,
            v -> v);
    public static final CameraKey<String> SOURCE = new CameraKey<>(
            "source",
            "URL or path",
            "",
            "rtsp://, http(s):// (.m3u8 = HLS), udp://, rtp://, srt://, /dev/videoN, a video file, or a directory/glob of PNG/JPEG",
            v -> v);
    public static final CameraKey<Boolean> LIVE = new CameraKey<>(
            "mode",
            "live | recorded",
            "by source",
            "live: reconnect forever, drop the oldest frames when Kafka is slow; recorded: read once to the end, drop nothing, "
                    + "end with the end-of-stream marker. Network sources and devices default to live, files to recorded",
            CameraKey::mode);
    public static final CameraKey<Double> FPS = new CameraKey<>(
            "fps",
            "number > 0",
            "all frames",
            "publish at most this many frames per second of the source's time",
            CameraKey::fps);
    public static final CameraKey<Size> MAX_SIZE = new CameraKey<>(
            "max-size",
            "WIDTHxHEIGHT",
            "source size",
            "downscale larger pictures to fit, keeping the aspect ratio",
            Size::parse);
    public static final CameraKey<ImageEncoding> ENCODING =
            new CameraKey<>("encoding", "jpeg | png", "jpeg", "how frames are published", CameraKey::encoding);
    public static final CameraKey<Integer> JPEG_QUALITY = new CameraKey<>(
            "jpeg-quality", "1-100", "90; 95 for picture sequences", "JPEG quality", CameraKey::quality);
    public static final CameraKey<String> RTSP_TRANSPORT =
            new CameraKey<>("rtsp-transport", "tcp | udp", "tcp", "RTSP transport", CameraKey::transport);
    public static final CameraKey<Scale> SCALE = new CameraKey<>(
            "scale",
            "factor | WIDTHpx",
            "the model's",
            "the scale at which the segmenter sees this camera's frames: a factor (2 doubles each side) or a width (912px), "
                    + "capped by a model's fixed crop; the mask still comes at the frame's size",
            CameraKey::scale);
    public static final CameraKey<String> OPTIONS = new CameraKey<>(
            "options",
            "map",
            "",
            "FFmpeg options for opening the source, e.g. {rtsp_flags: listen, probesize: \"500000\"}; "
                    + "for image sequences, framerate (default 10)",
            v -> v);

    /** Every key, in the order docs/cameras.md lists them. */
    public static final List<CameraKey<?>> ALL =
            List.of(ID, SOURCE, LIVE, FPS, MAX_SIZE, ENCODING, JPEG_QUALITY, RTSP_TRANSPORT, SCALE, OPTIONS);

    /**
     * This key as a setting of the command line (ingest's {@code --mode}, {@code --fps}, ... for its
     * {@code --camera} cameras; run's {@code --jpeg-quality}): the same name, rule and meaning.
     */
    public Setting<T> asSetting() {
        return Setting.described(name, type, defaultValue, doc, parser);
    }

    public T parse(String value) {
        return parser.apply(value.strip());
    }

    private static Boolean mode(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "live" -> true;
            case "recorded" -> false;
            default -> throw new IllegalArgumentException("must be live or recorded, got '" + v + "'");
        };
    }

    private static Double fps(String v) {
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number, got '" + v + "'");
        }
        if (!(d > 0) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("must be > 0, got " + v);
        }
        return d;
    }

    private static ImageEncoding encoding(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "jpeg", "jpg" -> ImageEncoding.JPEG;
            case "png" -> ImageEncoding.PNG;
            default -> throw new IllegalArgumentException("must be jpeg or png, got '" + v + "'");
        };
    }

    private static Integer quality(String v) {
        int q;
        try {
            q = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number 1-100, got '" + v + "'");
        }
        if (q < 1 || q > 100) {
            throw new IllegalArgumentException("must be 1-100, got " + q);
        }
        return q;
    }

    private static Scale scale(String v) {
        try {
            return Scale.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^scale: ", "must be "));
        }
    }

    private static String transport(String v) {
        String t = v.toLowerCase(Locale.ROOT);
        if (!t.equals("tcp") && !t.equals("udp")) {
            throw new IllegalArgumentException("must be tcp or udp, got '" + v + "'");
        }
        return t;
    }
}
