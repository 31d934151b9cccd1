package io.segstream.segmenter.model;

/** A model that is missing, malformed, or does not fit what the segmenter needs; the segmenter refuses to start. */
public class InvalidModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
