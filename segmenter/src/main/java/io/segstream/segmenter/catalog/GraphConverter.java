package io.segstream.segmenter.catalog;

import java.io.IOException;
import java.nio.file.Path;

/** Turns a frozen graph into a SavedModel the engine loads (the model package's converter). */
@FunctionalInterface
public interface GraphConverter {

    /** The SavedModel made from {@code frozenGraph}, converted once and cached. */
    Path savedModelFor(Path frozenGraph) throws IOException;
}
