package io.segstream.app;

import java.util.List;

/** The problems a command collects before it starts, to refuse them all at once, one line each. */
final class Problems {

    private Problems() {}

    /** Runs a check that throws IllegalArgumentException naming the option, adding its message as a problem. */
    static void check(List<String> problems, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }
}
