package io.segstream.segmenter.model;

import com.google.protobuf.InvalidProtocolBufferException;
import io.segstream.segmenter.catalog.GraphConverter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.proto.GraphDef;

/**
 * Converts a frozen GraphDef in the layout of Google's DeepLab model zoo ({@code ImageTensor}
 * uint8 [1,H,W,3] to {@code SemanticPredictions} int64 [1,H,W]) into a SavedModel that DJL can
 * load (with the graph's {@code SemanticLogits} as a {@code logits} output where it has them), once: the result is cached under the cache directory by the graph's SHA-256, so a second
 * start reuses it.
 */
public final class FrozenGraphConverter implements GraphConverter {

    static final String INPUT_OP = "ImageTensor";
    static final String OUTPUT_OP = "SemanticPredictions";
    /** The zoo graphs' logits [1,H,W,C], where a graph has them: exported as {@code logits} for seamless tiles. */
    static final String LOGITS_OP = "SemanticLogits";
    /** Part of the cache key: a conversion of another version may lack outputs this one exports. */
    private static final String VERSION = "v2";

    private static final Logger LOG = LoggerFactory.getLogger(FrozenGraphConverter.class);

    private final Path cacheDir;

    public FrozenGraphConverter(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** Returns the SavedModel directory for the frozen graph, converting it on first use. */
    @Override
    public Path savedModelFor(Path frozenGraph) throws IOException {
        String digest = sha256(frozenGraph);
        Path target =
                cacheDir.resolve(stem(frozenGraph) + "-" + digest.substring(0, 16) + "-" + VERSION + "-savedmodel");
        if (Files.isRegularFile(target.resolve("saved_model.pb"))) {
            LOG.info("Using the converted model {} for {}", target, frozenGraph);
            return target;
        }
        Files.createDirectories(cacheDir);
        Path staging = Files.createTempDirectory(cacheDir, ".converting-");
        Path exported = staging.resolve("model");
        try {
            convert(frozenGraph, exported); // a graph that does not convert leaves no staging directory behind
            Files.move(exported, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isRegularFile(target.resolve("saved_model.pb"))) {
                throw e;
            }
            // another process converted the same graph at the same time: use its result
        } finally {
            ModelFiles.deleteRecursively(staging);
        }
        LOG.info("Converted the frozen graph {} to the SavedModel {}", frozenGraph, target);
        return target;
    }

    private static void convert(Path frozenGraph, Path exportDir) throws IOException {
        TensorFlowNatives.prepare();
        GraphDef def;
        try (InputStream in = Files.newInputStream(frozenGraph)) {
            def = GraphDef.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidModelException(frozenGraph + " is not a TensorFlow GraphDef (" + e.getMessage() + ")", e);
        }
        try (Graph graph = new Graph();
                Session session = new Session(graph)) {
            try {
                graph.importGraphDef(def);
            } catch (IllegalArgumentException e) {
                throw new InvalidModelException(
                        frozenGraph + " cannot be imported as a TensorFlow graph: " + e.getMessage(), e);
            }
            GraphOperation input = requireOp(graph, frozenGraph, INPUT_OP);
            GraphOperation output = requireOp(graph, frozenGraph, OUTPUT_OP);
            Signature.Builder builder = Signature.builder()
                    .key(Signature.DEFAULT_KEY)
                    .input(ModelSignature.INPUT, input.output(0))
                    .output(ModelSignature.LABELS, output.output(0));
            GraphOperation logits = graph.operation(LOGITS_OP);
            if (logits != null
                    && logits.numOutputs() == 1
                    && logits.output(0).shape().numDimensions() == 4) {
                builder.output(ModelSignature.LOGITS, logits.output(0));
            }
            Signature signature = builder.build();
            SavedModelBundle.exporter(exportDir.toString())
                    .withTags(ModelSignature.TAG)
                    .withSession(session)
                    .withSignature(signature)
                    .export();
        }
    }

    private static GraphOperation requireOp(Graph graph, Path file, String name) {
        GraphOperation op = graph.operation(name);
        if (op == null) {
            throw new InvalidModelException(file + " has no operation '" + name + "': a frozen DeepLab graph maps "
                    + INPUT_OP + " (uint8 [1,H,W,3]) to " + OUTPUT_OP + " (int64 [1,H,W])");
        }
        return op;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".pb") ? name.substring(0, name.length() - 3) : name;
    }

    private static String sha256(Path file) throws IOException {
        try (DigestInputStream in =
                new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
