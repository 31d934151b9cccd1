package io.segstream.segmenter.model;

import io.segstream.protocol.Size;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Reads {@link GraphFacts} from a SavedModel's graph without running it: the serving signature,
 * the fixed crop a DeepLab export builds its network for (export_model.py pads the input to it with
 * {@code pad_to_bounding_box}, a float tensor of static shape [H,W,3] or [1,H,W,3], and takes the
 * arg-max of scores of static size [1,H,W,C] before cutting them back to the input), and the class
 * count (the static depth of the tensor an ArgMax reduces, or of the logits output).
 */
final class GraphInspector {

    private GraphInspector() {}

    static GraphFacts inspect(Path savedModelDir) {
        SavedModel saved;
        try {
            saved = SavedModel.parseFrom(Files.readAllBytes(savedModelDir.resolve("saved_model.pb")));
        } catch (IOException e) {
            throw new InvalidModelException(
                    "cannot read " + savedModelDir.resolve("saved_model.pb") + ": " + e.getMessage(), e);
        }
        MetaGraphDef meta = saved.getMetaGraphsList().stream()
                .filter(m -> m.getMetaInfoDef().getTagsList().contains(ModelSignature.TAG))
                .findFirst()
                .orElseThrow(() -> new InvalidModelException(
                        "the SavedModel " + savedModelDir + " has no graph tagged '" + ModelSignature.TAG + "'"));
        SignatureDef signature = meta.getSignatureDefMap().get(ModelSignature.KEY);
        if (signature == null) {
            throw new InvalidModelException("the SavedModel " + savedModelDir + " has no '" + ModelSignature.KEY
                    + "' signature; it has " + meta.getSignatureDefMap().keySet());
        }
        Map<String, String> inputs = describe(signature.getInputsMap());
        Map<String, String> outputs = describe(signature.getOutputsMap());
        String inputType = signature.getInputsMap().values().stream()
                .findFirst()
                .map(t -> dtype(t))
                .orElse("none");
        Optional<String> logits = signature.getOutputsMap().entrySet().stream()
                .filter(e -> e.getValue().getDtype() == DataType.DT_FLOAT
                        && e.getValue().getTensorShape().getDimCount() == 4)
                .map(Map.Entry::getKey)
                .sorted()
                .findFirst();
        OptionalInt logitsDepth = logits.map(
                        name -> depth(signature.getOutputsMap().get(name).getTensorShape()))
                .orElse(OptionalInt.empty());
        Scan scan = scan(meta.getGraphDef());
        return new GraphFacts(
                inputs,
                outputs,
                inputType,
                scan.crop(),
                scan.classes().isPresent() ? scan.classes() : logitsDepth,
                logits);
    }

    private record Scan(Optional<Size> crop, OptionalInt classes) {}

    private static Scan scan(GraphDef def) {
        TensorFlowNatives.prepare();
        Optional<Size> crop = Optional.empty();
        OptionalInt classes = OptionalInt.empty();
        Optional<Size> argMaxCrop = Optional.empty();
        try (Graph graph = new Graph()) {
            graph.importGraphDef(def);
            Iterator<GraphOperation> ops = graph.operations();
            while (ops.hasNext()) {
                GraphOperation op = ops.next();
                if (crop.isEmpty() && op.numOutputs() > 0) {
                    crop = paddedPicture(op.output(0));
                }
                if (classes.isEmpty() && op.type().equals("ArgMax") && op.numInputs() > 0) {
                    Shape s = op.input(0).shape();
                    if (s.numDimensions() == 4 && s.size(3) > 0) {
                        classes = OptionalInt.of((int) s.size(3));
                        argMaxCrop = spatial(s);
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            // a graph TensorFlow Java cannot import on its own (functions, custom ops): the signature still says a lot
            return new Scan(Optional.empty(), OptionalInt.empty());
        }
        return new Scan(crop.isPresent() ? crop : argMaxCrop, classes);
    }

    /** The static H x W of [N,H,W,C] scores, when both are known. */
    private static Optional<Size> spatial(Shape s) {
        long h = s.size(1);
        long w = s.size(2);
        return h > 1 && w > 1 && h <= 65536 && w <= 65536 ? Optional.of(new Size((int) w, (int) h)) : Optional.empty();
    }

    /** A float picture tensor of static size: [H,W,3] or [1,H,W,3] with H, W > 1. */
    private static Optional<Size> paddedPicture(Operand<?> output) {
        if (output.asOutput().dataType() != DataType.DT_FLOAT) {
            return Optional.empty();
        }
        Shape s = output.shape();
        int rank = s.numDimensions();
        boolean picture = rank == 3 || rank == 4 && s.size(0) == 1;
        if (!picture || s.size(rank - 1) != 3) {
            return Optional.empty();
        }
        long h = s.size(rank - 3);
        long w = s.size(rank - 2);
        return h > 1 && w > 1 && h <= 65536 && w <= 65536 ? Optional.of(new Size((int) w, (int) h)) : Optional.empty();
    }

    private static Map<String, String> describe(Map<String, TensorInfo> tensors) {
        Map<String, String> out = new TreeMap<>();
        tensors.forEach((name, info) -> out.put(name, dtype(info) + " " + shape(info.getTensorShape())));
        return out;
    }

    private static String dtype(TensorInfo info) {
        return info.getDtype().name().replace("DT_", "").toLowerCase(Locale.ROOT);
    }

    private static String shape(TensorShapeProto shape) {
        if (shape.getUnknownRank()) {
            return "[?]";
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shape.getDimCount(); i++) {
            long size = shape.getDim(i).getSize();
            b.append(i > 0 ? "," : "").append(size < 0 ? "?" : Long.toString(size));
        }
        return b.append(']').toString();
    }

    private static OptionalInt depth(TensorShapeProto shape) {
        if (shape.getDimCount() != 4 || shape.getDim(3).getSize() <= 0) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) shape.getDim(3).getSize());
    }
}
