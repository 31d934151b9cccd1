package io.segstream.segmenter.model;

/**
 * The model failed on pictures: {@link #getMessage()} says on what and why, {@link #fix()} what to
 * change where that is known (empty otherwise).
 */
public final class ModelFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String fix;

    public ModelFailedException(String message, String fix, Throwable cause) {
        super(message, cause);
        this.fix = fix;
    }

    public String fix() {
        return fix;
    }

    /** The cause without the picture count: the same for every frame that fails the same way. */
    public String cause() {
        String m = getMessage();
        int colon = m.indexOf(": ");
        return colon < 0 ? m : m.substring(colon + 2);
    }
}
