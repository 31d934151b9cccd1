package io.segstream.segmenter.model;

/** The SavedModel signature segstream loads: tag serve, key serving_default, image in, labels out. */
final class ModelSignature {

    static final String TAG = "serve";
    static final String KEY = "serving_default";
    /** uint8 [N,H,W,3], raw RGB 0..255. */
    static final String INPUT = "image";
    /** int64 [N,H,W], class ids. */
    static final String LABELS = "labels";
    /** float32 [N,H,W,C], per-class scores, where a model exposes them. */
    static final String LOGITS = "logits";

    private ModelSignature() {}
}
