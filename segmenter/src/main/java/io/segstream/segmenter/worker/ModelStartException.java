package io.segstream.segmenter.worker;

import io.segstream.segmenter.model.ModelFailedException;

/**
 * The model failed on the first frames it was given, for a reason that lies in how it is set up
 * (e.g. frames larger than its crop with size policy native): every frame would fail the same way,
 * so the segmenter stops instead of answering each with a failed mask. The message names the cause
 * and the fix.
 */
public final class ModelStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ModelStartException(ModelFailedException e) {
        super(e.getMessage() + ": " + e.fix(), e);
    }
}
