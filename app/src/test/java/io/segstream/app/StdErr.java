package io.segstream.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** Runs a command with standard error captured. */
final class StdErr {

    record Captured(int code, String stderr) {}

    private StdErr() {}

    static Captured capture(Callable<Integer> body) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream tee = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setErr(tee);
            int code = body.call();
            return new Captured(code, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }
}
