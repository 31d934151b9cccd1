package io.segstream.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the small text files an operator gives (cameras files, model descriptors, class mappings)
 * with a bound: a file larger than the bound is refused before anything is parsed, whatever it is
 * (a regular file, a pipe, a device that never ends).
 */
public final class SmallFiles {

    /** The most a configuration file may hold: far beyond any real one, far below what a parser chokes on. */
    public static final int MAX_BYTES = 1024 * 1024;

    private SmallFiles() {}

    /**
     * The file as UTF-8 text.
     *
     * @throws IOException when it cannot be read, or holds more than {@link #MAX_BYTES}
     */
    public static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("it holds more than " + MAX_BYTES / 1024
                        + " KiB, far more than such a file needs; it is not read");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
