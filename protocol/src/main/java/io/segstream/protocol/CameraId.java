package io.segstream.protocol;

import java.util.regex.Pattern;

/**
 * What a camera id may be. It is the record key on every topic and the name of the camera's
 * output directory, so it is checked wherever it enters: the cameras file and command line, and
 * the key of every record a service reads (another producer's records are untrusted).
 */
public final class CameraId {

    /** For messages and documentation. */
    public static final String RULE = "1-128 of A-Z a-z 0-9 . _ -, starting with a letter or digit";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private CameraId() {}

    /** Whether {@code id} is a camera id: never empty, {@code .} or {@code ..}, never holding a path separator. */
    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The id as it may be quoted in a log line: at most 64 characters, control characters escaped. */
    public static String quote(String id) {
        if (id == null) {
            return "(no key)";
        }
        String shown = id.length() > 64 ? id.substring(0, 64) + "..." : id;
        StringBuilder b = new StringBuilder("'");
        shown.chars()
                .forEach(c -> b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return b.append('\'').toString();
    }
}
