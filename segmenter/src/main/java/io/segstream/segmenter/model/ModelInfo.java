package io.segstream.segmenter.model;

/**
 * What segstream found out about a model when it loaded it, for the start-up log and
 * {@code segstream models inspect}.
 *
 * @param graph       the graph's signature, crop and class count
 * @param fitting     how frames are fitted to it
 * @param classSource where its class list comes from, e.g. "the descriptor" or "neutral names for the 5 classes the graph scores"
 * @param outputKind  whether its class ids are read from labels or the arg-max of logits
 * @param output      the signature output read
 */
public record ModelInfo(
        GraphFacts graph, Fitting fitting, String classSource, ModelDescriptor.OutputKind outputKind, String output) {}
