package io.segstream.segmenter.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repository's model descriptors (descriptors/*.yaml, packed into this module's jar), each for
 * the graphs whose SHA-256 its {@code graphs} key lists: a model given by path without a descriptor
 * beside it gets the one made for its graph, so `segstream run --model …/deeplabv3plus_mnv2_ade20k32_savedmodel`
 * speaks ADE20K with its colours, groups and sizing without --model-descriptor.
 */
final class KnownDescriptors {

    private static final Logger LOG = LoggerFactory.getLogger(KnownDescriptors.class);
    private static final String DIR = "io/segstream/segmenter/descriptors/";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The largest graph file hashed (a model of several GiB has its own descriptor beside it). */
    static final long MAX_GRAPH_BYTES = 2L * 1024 * 1024 * 1024;

    /** A packed descriptor: its file name, text and the graphs it is for. */
    record Known(String name, String text, List<String> graphs) {}

    private static volatile List<Known> all;

    private KnownDescriptors() {}

    /** The descriptor made for {@code model}'s graph (a SavedModel's saved_model.pb, or a frozen .pb), if one is packed. */
    static Optional<ModelDescriptor> forGraphOf(Path model) {
        Path graph = Files.isDirectory(model) ? model.resolve("saved_model.pb") : model;
        if (!graph.getFileName().toString().endsWith(".pb") || !Files.isRegularFile(graph)) {
            return Optional.empty();
        }
        String sha;
        try {
            if (Files.size(graph) > MAX_GRAPH_BYTES) {
                return Optional.empty();
            }
            sha = sha256(graph);
        } catch (IOException e) {
            return Optional.empty(); // the loader reports an unreadable model itself
        }
        for (Known k : all()) {
            if (k.graphs().contains(sha)) {
                LOG.info("Model {}: descriptor descriptors/{} (made for its graph, SHA-256 {})", model, k.name(), sha);
                return Optional.of(DescriptorFile.parse(k.text(), "descriptors/" + k.name()));
            }
        }
        return Optional.empty();
    }

    /** Every packed descriptor that names graphs (the class mappings beside them name none). */
    static List<Known> all() {
        if (all == null) {
            List<Known> found = new ArrayList<>();
            for (String name : names()) {
                String text = resource(name);
                JsonNode root;
                try {
                    root = YAML.readTree(text);
                } catch (IOException e) {
                    throw new IllegalStateException("packed descriptor " + name + " is not YAML", e);
                }
                if (root != null && root.has("graphs")) {
                    List<String> problems = new ArrayList<>();
                    found.add(new Known(name, text, DescriptorFile.graphs(root.path("graphs"), problems)));
                }
            }
            all = List.copyOf(found);
        }
        return all;
    }

    private static List<String> names() {
        URL dir = KnownDescriptors.class.getClassLoader().getResource(DIR);
        if (dir == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try {
            if (dir.getProtocol().equals("jar")) {
                JarURLConnection c = (JarURLConnection) dir.openConnection();
                c.setUseCaches(false);
                try (JarFile jar = c.getJarFile()) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String n = e.nextElement().getName();
                        if (n.startsWith(DIR) && n.endsWith(".yaml") && n.indexOf('/', DIR.length()) < 0) {
                            names.add(n.substring(DIR.length()));
                        }
                    }
                }
            } else {
                try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
                    files.map(f -> f.getFileName().toString())
                            .filter(n -> n.endsWith(".yaml"))
                            .forEach(names::add);
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the packed descriptors in " + dir, e);
        }
        names.sort(null);
        return names;
    }

    private static String resource(String name) {
        try (InputStream in = KnownDescriptors.class.getClassLoader().getResourceAsStream(DIR + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
