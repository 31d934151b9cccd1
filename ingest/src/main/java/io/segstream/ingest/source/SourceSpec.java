package io.segstream.ingest.source;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where a camera's frames come from, as the user wrote it, with its kind recognised.
 *
 * <ul>
 *   <li>{@code rtsp://}, {@code rtsps://}: an RTSP camera</li>
 *   <li>{@code http://}, {@code https://}: progressive HTTP, or HLS when the path ends in {@code .m3u8}</li>
 *   <li>{@code udp://}, {@code rtp://}, {@code srt://}: MPEG-TS or RTP pushed to us, SRT</li>
 *   <li>{@code /dev/videoN} or {@code v4l2:///dev/videoN}: a V4L2 device</li>
 *   <li>a directory, or a path with {@code * ? [}: an image sequence of PNG/JPEG files</li>
 *   <li>anything else: a video file path (or {@code file:} URI)</li>
 * </ul>
 *
 * @param input   the source as written
 * @param kind    the recognised kind
 * @param options FFmpeg options for opening it ({@code rtsp_transport}, {@code probesize}, ...)
 */
public record SourceSpec(String input, SourceKind kind, Map<String, String> options) {

    public SourceSpec {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(kind, "kind");
        options = Map.copyOf(options);
    }

    public static SourceSpec of(String input) {
        return of(input, Map.of());
    }

    public static SourceSpec of(String input, Map<String, String> options) {
        return new SourceSpec(input, kindOf(input), options);
    }

    /** What FFmpeg opens: the URL, or the device path without the {@code v4l2://} prefix. */
    public String ffmpegInput() {
        if (kind == SourceKind.V4L2 && input.startsWith("v4l2://")) {
            return input.substring("v4l2://".length());
        }
        if (kind == SourceKind.FILE && input.startsWith("file:")) {
            return Path.of(URI.create(input)).toString();
        }
        return input;
    }

    static SourceKind kindOf(String input) {
        String lower = input.toLowerCase(Locale.ROOT);
        int colon = lower.indexOf("://");
        if (colon > 0) {
            String scheme = lower.substring(0, colon);
            return switch (scheme) {
                case "rtsp", "rtsps" -> SourceKind.RTSP;
                case "http", "https" -> pathOf(lower).endsWith(".m3u8") ? SourceKind.HLS : SourceKind.HTTP;
                case "udp" -> SourceKind.UDP;
                case "rtp" -> SourceKind.RTP;
                case "srt" -> SourceKind.SRT;
                case "v4l2" -> SourceKind.V4L2;
                case "file" -> SourceKind.FILE;
                default ->
                    throw new IllegalArgumentException("unsupported source scheme '" + scheme + "://' in " + input
                            + " (use rtsp, http(s), udp, rtp, srt, v4l2, a file or an image directory/glob)");
            };
        }
        if (lower.startsWith("/dev/video")) {
            return SourceKind.V4L2;
        }
        if (input.indexOf('*') >= 0 || input.indexOf('?') >= 0 || input.indexOf('[') >= 0) {
            return SourceKind.IMAGE_SEQUENCE;
        }
        try {
            if (Files.isDirectory(Path.of(input))) {
                return SourceKind.IMAGE_SEQUENCE;
            }
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + input + "' is neither a URL nor a valid path: " + e.getReason());
        }
        return SourceKind.FILE;
    }

    private static String pathOf(String url) {
        int end = url.length();
        for (char c : new char[] {'?', '#'}) {
            int i = url.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return url.substring(0, end);
    }
}
