package io.segstream.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The ./segstream launcher at the repository root in a process of its own, on the packaged application. */
final class Launcher {

    static final Path ROOT = Path.of(System.getProperty("segstream.root")).toAbsolutePath();

    private Launcher() {}

    /** Starts {@code segstream args...} with a heap of {@code heap} (e.g. "1g"), its output to {@code log}. */
    static Process start(Path log, String heap, String... args) throws IOException {
        return start(log, heap, Map.of(), args);
    }

    /** As {@link #start(Path, String, String...)}, with {@code env} added to its environment. */
    static Process start(Path log, String heap, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("segstream").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("SEGSTREAM_NO_BUILD", "1");
        pb.environment().put("SEGSTREAM_JAVA_OPTS", "-Xmx" + heap);
        return pb.start();
    }
}
