package io.segstream.protocol;

/** Checks shared by the records of every module. */
public final class Checks {

    private Checks() {}

    /**
     * Requires each value to be present.
     *
     * @param names  the components' names, separated by spaces, in the order of {@code values}
     * @param values the components
     * @throws NullPointerException naming the first component that is null
     */
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
