package io.segstream.protocol;

import java.time.Duration;

/** Checks shared by the records of every module. */
public final class Checks {

    private Checks() {}

    /** The longest wait or length any setting of the pipeline takes: longer ones overflow the clocks' arithmetic. */
    public static final Duration LONGEST = Duration.ofDays(1);

    /**
     * Requires {@code d} to be at most {@code max} (compared exactly, so a duration too long for
     * milliseconds is refused rather than overflowing).
     *
     * @throws IllegalArgumentException naming the setting as {@code name}
     */
    public static void atMost(String name, Duration d, Duration max) {
        if (d.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + max + ", got " + d);
        }
    }

    /**
     * Requires each value to be present.
     *
     * @param names  the components' names, separated by spaces, in the order of {@code values}
     * @param values the components
     * @throws NullPointerException naming the first component that is null
     */
    /** Text from a record as an error line shows it: its first 16 characters, then "…" when it is longer. */
    public static String shown(String text) {
        return text.length() > 16 ? text.substring(0, 16) + "…" : text;
    }

    public static void nonNull(String names, Object... values) {
        String[] named = names.split(" ");
        if (named.length != values.length) {
            throw new IllegalArgumentException(named.length + " names for " + values.length + " values: " + names);
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new NullPointerException(named[i]);
            }
        }
    }
}
