package io.segstream.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/** Waits on conditions instead of fixed sleeps: a test goes on as soon as what it needs is true. */
public final class Eventually {

    private static final Duration POLL = Duration.ofMillis(50);

    private Eventually() {}

    /** Returns once {@code condition} holds; fails naming {@code what} after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * Returns once a TCP socket listens on {@code port} of this host (read from /proc/net/tcp and
     * tcp6, so no connection is made: a server that accepts only one is left alone).
     */
    public static void awaitListening(int port, Duration timeout) throws InterruptedException {
        String local = String.format(Locale.ROOT, ":%04X", port);
        await(
                "a socket listening on port " + port,
                timeout,
                () -> listening(Path.of("/proc/net/tcp"), local) || listening(Path.of("/proc/net/tcp6"), local));
    }

    private static boolean listening(Path table, String localPort) {
        if (!Files.exists(table)) {
            return false;
        }
        try {
            List<String> lines = Files.readAllLines(table);
            // columns: sl local_address rem_address st ...; st 0A is LISTEN
            return lines.stream()
                    .skip(1)
                    .map(l -> l.trim().split("\\s+"))
                    .anyMatch(c -> c.length > 3 && c[1].endsWith(localPort) && c[3].equals("0A"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
