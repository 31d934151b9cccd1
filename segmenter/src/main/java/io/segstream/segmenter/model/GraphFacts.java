package io.segstream.segmenter.model;

import io.segstream.protocol.Size;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a model's graph says about itself, read when it is loaded ({@link GraphInspector}).
 *
 * @param inputs     the serving signature's inputs: name to "dtype [shape]"
 * @param outputs    its outputs: name to "dtype [shape]"
 * @param inputType  the dtype of the image input, e.g. {@code uint8}
 * @param crop       the fixed size the graph pads its input to (DeepLab's export_model.py builds the network
 *                   for one crop and fails on larger pictures); empty when it takes any size
 * @param classes    how many classes the graph scores: the depth of the tensor it takes the arg-max of, or of
 *                   its logits output
 * @param logits     the signature output holding the per-class scores [N,H,W,C], when there is one
 */
public record GraphFacts(
        Map<String, String> inputs,
        Map<String, String> outputs,
        String inputType,
        Optional<Size> crop,
        OptionalInt classes,
        Optional<String> logits) {

    public GraphFacts {
        inputs = Map.copyOf(inputs);
        outputs = Map.copyOf(outputs);
    }
}
