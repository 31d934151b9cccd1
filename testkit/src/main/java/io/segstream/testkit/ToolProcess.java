package io.segstream.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A command-line server a test runs (ffmpeg, rtsp-server-perl), its output kept in a log file, killed on close. */
public final class ToolProcess implements AutoCloseable {

    private final List<String> command;
    private final Path log;
    private final Process process;

    private ToolProcess(List<String> command, Path log) throws IOException {
        this.command = List.copyOf(command);
        this.log = log;
        this.process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    public static ToolProcess start(Path log, String... command) throws IOException {
        return start(log, List.of(command));
    }

    public static ToolProcess start(Path log, List<String> command) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        return new ToolProcess(new ArrayList<>(command), log);
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** What it printed so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Kills it at once (SIGKILL), as a crashing camera would go. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }
}
