package io.segstream.testkit;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Files an operator could give by mistake or on purpose, to check they are refused quickly. */
public final class HostileFiles {

    private HostileFiles() {}

    /** {@code before}, then one string of {@code megabytes} MiB of 'a', then {@code after}. */
    public static Path withLongString(Path file, String before, int megabytes, String after) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write(before);
            char[] chunk = new char[1 << 20];
            Arrays.fill(chunk, 'a');
            for (int i = 0; i < megabytes; i++) {
                w.write(chunk);
            }
            w.write(after);
        }
        return file;
    }
}
