package io.segstream.segmenter.model;

import java.util.regex.Pattern;

/** What a model id may be: it names the model in headers, statistics and the models topic. */
final class ModelIds {

    static final String RULE = "1-128 of A-Z a-z 0-9 . _ - + @ :, starting with a letter or digit";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+@:-]{0,127}");

    private ModelIds() {}

    static boolean valid(String id) {
        return ID.matcher(id).matches();
    }

    /** An id made from a file name: characters outside the rule become '_'. */
    static String fromFileName(String name) {
        String id = name.replaceAll("[^A-Za-z0-9._+@:-]", "_");
        if (id.isEmpty() || !Character.isLetterOrDigit(id.charAt(0))) {
            id = "m" + id;
        }
        return id.length() > 128 ? id.substring(0, 128) : id;
    }
}
