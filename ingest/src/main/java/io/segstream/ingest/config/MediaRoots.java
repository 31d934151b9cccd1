package io.segstream.ingest.config;

import io.segstream.ingest.source.SourceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where cameras that come from the cameras topic may read local media. A record of that topic is
 * written by whoever may write to it, so its source never becomes a path on an ingest machine unless
 * that path lies under a directory the operator named ({@code --media-root}); network sources
 * (rtsp, http(s), udp, rtp, srt) need no root.
 */
public record MediaRoots(List<Path> roots) {

    public static final MediaRoots NONE = new MediaRoots(List.of());

    public MediaRoots {
        List<Path> real = new ArrayList<>();
        for (Path r : roots) {
            Path abs = r.toAbsolutePath().normalize();
            try {
                real.add(abs.toRealPath());
            } catch (IOException e) {
                real.add(abs);
            }
        }
        roots = List.copyOf(real);
    }

    /** Why {@code source} may not be read here, or empty when it may. */
    public Optional<String> refusal(SourceSpec source) {
        if (source.kind().network()) {
            return Optional.empty();
        }
        if (roots.isEmpty()) {
            return Optional.of("the local source " + source.input()
                    + " is not allowed: this ingest reads local files and devices only under --media-root directories,"
                    + " and none is given");
        }
        Path path;
        try {
            path = Path.of(directoryPart(source.ffmpegInput())).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            return Optional.of("the source " + source.input() + " is not a valid path");
        }
        Path real = path;
        try {
            if (Files.exists(path)) {
                real = path.toRealPath();
            }
        } catch (IOException e) {
            return Optional.of("the source " + source.input() + " cannot be resolved: " + e.getMessage());
        }
        for (Path root : roots) {
            if (real.startsWith(root)) {
                return Optional.empty();
            }
        }
        return Optional.of(
                "the local source " + source.input() + " is outside the media roots " + roots + " (--media-root)");
    }

    /** A glob's directory part (what precedes its first wildcard), else the path itself. */
    private static String directoryPart(String input) {
        int glob = -1;
        for (char c : new char[] {'*', '?', '['}) {
            int i = input.indexOf(c);
            if (i >= 0 && (glob < 0 || i < glob)) {
                glob = i;
            }
        }
        if (glob < 0) {
            return input;
        }
        int slash = input.lastIndexOf('/', glob);
        return slash <= 0 ? "." : input.substring(0, slash);
    }
}
