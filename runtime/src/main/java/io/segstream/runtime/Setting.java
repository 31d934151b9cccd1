package io.segstream.runtime;

import io.segstream.protocol.Checks;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One setting of a service, declared once: its name (the command-line option {@code --NAME}, the
 * environment variable {@code SEGSTREAM_NAME} of the services, the key of a cameras file), what it
 * takes, its default, what it does, and how its text becomes a value (the parser refuses a bad
 * value by saying why). The command line, the help, the environment and docs' tables are
 * all made from these declarations.
 *
 * @param name the option's long name without its dashes, e.g. {@code batch-size}
 * @param label what it takes, e.g. {@code N}, {@code DURATION}, {@code HOST}
 * @param defaultText the default as it is written (and parsed when it is a value), or how it is
 *     found ({@code by service}); empty when there is none
 * @param defaultIsValue whether {@code defaultText} is a value the parser takes (else it describes one)
 * @param doc what it does, one sentence or two
 * @param parser the value of a text, or an IllegalArgumentException saying why not (without the name)
 */
public record Setting<T>(
        String name, String label, String defaultText, boolean defaultIsValue, String doc, Function<String, T> parser) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]%-]{1,253}");

    public Setting {
        Objects.requireNonNull(parser, "parser");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "a setting's name is lower-case words joined by '-', got '" + name + "'");
        }
    }

    /** A setting whose default is the value {@code defaultValue} written as the parser reads it. */
    public static <T> Setting<T> of(
            String name, String label, String defaultValue, String doc, Function<String, T> parser) {
        Setting<T> s = new Setting<>(name, label, defaultValue, true, doc, parser);
        s.parse(defaultValue); // a default the setting refuses is a bug: found when the class loads
        return s;
    }

    /** A setting without a default value: {@code absent} says what happens when it is not given ("" when it must be). */
    public static <T> Setting<T> described(
            String name, String label, String absent, String doc, Function<String, T> parser) {
        return new Setting<>(name, label, absent, false, doc, parser);
    }

    /** The same setting where a command has another default (and says so in {@code doc}). */
    public Setting<T> withDefault(String defaultValue, String doc) {
        return of(name, label, defaultValue, doc, parser);
    }

    /** The command-line option, e.g. {@code --batch-size}. */
    public String option() {
        return "--" + name;
    }

    /** The services' environment variable, e.g. {@code SEGSTREAM_BATCH_SIZE}. */
    public String variable() {
        return "SEGSTREAM_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The default value, when the default is one. */
    public Optional<T> defaultValue() {
        return defaultIsValue ? Optional.of(parse(defaultText)) : Optional.empty();
    }

    /** The default value; for settings whose default is a value (else an IllegalStateException). */
    public T defaultOrFail() {
        return defaultValue().orElseThrow(() -> new IllegalStateException(option() + " has no default value"));
    }

    /**
     * The value of {@code text} (surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the option and why the text is refused
     */
    public T parse(String text) {
        try {
            return parser.apply(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option() + " " + e.getMessage(), e);
        }
    }

    // Parsers for the kinds of values settings take. Each refuses with "must ..., got ...".

    /** A whole number within {@code [min, max]}. */
    public static Function<String, Integer> intWithin(int min, int max) {
        return v -> {
            int n;
            try {
                n = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number, got '" + v + "'");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(
                        (max == Integer.MAX_VALUE ? "must be >= " + min : "must be " + min + "-" + max) + ", got " + n);
            }
            return n;
        };
    }

    /** A number within {@code (min, max]} when {@code minExclusive}, else {@code [min, max]}. */
    public static Function<String, Double> numberWithin(double min, boolean minExclusive, double max) {
        return v -> {
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number, got '" + v + "'");
            }
            if (Double.isNaN(d) || (minExclusive ? d <= min : d < min) || d > max) {
                throw new IllegalArgumentException(
                        "must be " + (minExclusive ? "more than " + fmt(min) : "at least " + fmt(min)) + " and at most "
                                + fmt(max) + ", got " + v);
            }
            return d;
        };
    }

    /** Any number. */
    public static Function<String, Double> number() {
        return v -> {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number, got '" + v + "'");
            }
        };
    }

    /** A file-system path of at most 4,096 characters. */
    public static Function<String, Path> path() {
        return v -> {
            if (v.isEmpty() || v.length() > 4096) {
                throw new IllegalArgumentException("must be a path of 1-4096 characters, got " + v.length());
            }
            try {
                return Path.of(v);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("is not a path: " + e.getMessage());
            }
        };
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** An ISO-8601 duration ({@code PT1S}, {@code PT0.05S}) within {@code [min, Checks.LONGEST]}. */
    public static Function<String, Duration> durationFrom(Duration min) {
        return v -> {
            Duration d;
            try {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "must be an ISO-8601 duration such as PT1S or PT0.05S, got '" + v + "'");
            }
            if (d.compareTo(min) < 0) {
                throw new IllegalArgumentException(
                        (min.isZero() ? "must not be negative" : "must be at least " + human(min)) + ", got " + v);
            }
            if (d.compareTo(Checks.LONGEST) > 0) {
                throw new IllegalArgumentException("must be at most " + Checks.LONGEST + ", got " + v);
            }
            return d;
        };
    }

    /** 1 ms, 1 s, 2 min: a short duration as people write it. */
    private static String human(Duration d) {
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return d.toMillis() + " ms";
        }
        return d.toSeconds() % 60 == 0 && d.toSeconds() >= 60 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    /** A host name or IP address (an IPv6 address may be in brackets). */
    public static String host(String v) {
        if (!HOST.matcher(v).matches()) {
            throw new IllegalArgumentException("must be a host name or IP address, got '" + v + "'");
        }
        return v;
    }

    /** Any text that is not blank, of at most {@code max} characters. */
    public static Function<String, String> text(int max) {
        return v -> {
            if (v.isEmpty() || v.length() > max) {
                throw new IllegalArgumentException("must be 1-" + max + " characters, got " + v.length());
            }
            return v;
        };
    }

    /** Any text matching {@code pattern}, described as {@code what} when refused. */
    public static Function<String, String> matching(Pattern pattern, String what) {
        return v -> {
            if (!pattern.matcher(v).matches()) {
                throw new IllegalArgumentException("must be " + what + ", got '" + v + "'");
            }
            return v;
        };
    }

    /** One of the texts an enumeration allows, in any case. */
    public static <E extends Enum<E>> Function<String, E> oneOf(Class<E> type) {
        return v -> {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v.replace('-', '_'))) {
                    return e;
                }
            }
            throw new IllegalArgumentException("must be one of "
                    + String.join(
                            ", ",
                            Arrays.stream(type.getEnumConstants())
                                    .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                                    .toList())
                    + ", got '" + v + "'");
        };
    }

    /** A value the parser takes that must also satisfy {@code check}, else "must {@code rule}". */
    public static <T> Function<String, T> checked(Function<String, T> parser, Predicate<T> check, String rule) {
        return v -> {
            T t = parser.apply(v);
            if (!check.test(t)) {
                throw new IllegalArgumentException("must " + rule + ", got " + t);
            }
            return t;
        };
    }
}
