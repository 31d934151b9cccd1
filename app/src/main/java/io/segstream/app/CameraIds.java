package io.segstream.app;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** Derives camera ids from input names: the file name without extension, made safe, unique within a run. */
final class CameraIds {

    private final Set<String> used = new HashSet<>();

    /** Keeps {@code id} for a camera named elsewhere (the cameras file). */
    void reserve(String id) {
        used.add(id);
    }

    String forInput(String input) {
        String name = Path.of(input).getFileName() == null
                ? "camera"
                : Path.of(input).getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9._-]", "-");
        if (base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0))) {
            base = "camera" + base;
        }
        if (base.length() > 100) {
            base = base.substring(0, 100);
        }
        String id = base;
        for (int n = 2; !used.add(id); n++) {
            id = base + "-" + n;
        }
        return id;
    }
}
