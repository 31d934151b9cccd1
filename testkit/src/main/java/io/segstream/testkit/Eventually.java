package io.segstream.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** Waits on conditions instead of fixed sleeps: a test goes on as soon as what it needs is true. */
public final class Eventually {

    private static final Duration POLL = Duration.ofMillis(50);

    private Eventually() {}

    /** A condition to wait for; it may throw, which fails the wait. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Returns once {@code condition} holds; fails naming {@code what} after {@code timeout}. */
    public static void await(String what, Duration timeout, Condition condition) throws InterruptedException {
        await(what, timeout, POLL, condition, () -> "");
    }

    /**
     * Returns once {@code condition} holds, asking it every {@code poll} (a condition that reads a
     * topic or a browser is asked less often); fails after {@code timeout} naming {@code what} and
     * adding {@code detail} (the output of the processes under test, say).
     */
    public static void await(String what, Duration timeout, Duration poll, Condition condition, Supplier<String> detail)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > deadline) {
                String more = detail.get();
                throw new AssertionError(
                        "waited " + timeout.toMillis() + " ms for " + what + (more.isEmpty() ? "" : "\n" + more));
            }
            Thread.sleep(poll.toMillis());
        }
    }

    private static boolean holds(Condition condition) throws InterruptedException {
        try {
            return condition.holds();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("the condition failed: " + e, e);
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
