package io.segstream.segmenter.catalog;

import java.io.BufferedInputStream;
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
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** A model-zoo tarball: its checksum, and the frozen graph inside once unpacked. */
public final class ModelArchive {

    private ModelArchive() {}

    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file)), digest)) {
            in.transferTo(OutputStreamSink.INSTANCE);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Unpacks the .tar.gz into {@code dir} (entries may not escape it) and returns its frozen graph:
     * {@code frozen_inference_graph.pb}, or the only .pb it holds.
     *
     * @throws IOException when the archive is not a tar.gz or holds no single frozen graph
     */
    public static Path unpackFrozenGraph(Path archive, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path root = dir.toAbsolutePath().normalize();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new GzipCompressorInputStream(new BufferedInputStream(Files.newInputStream(archive))))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException(archive + " holds an entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new IOException(archive + " is not a readable .tar.gz: " + e.getMessage(), e);
        }
        List<Path> graphs;
        try (Stream<Path> files = Files.walk(root)) {
            graphs = files.filter(p -> p.getFileName().toString().endsWith(".pb"))
                    .sorted()
                    .toList();
        }
        List<Path> named = graphs.stream()
                .filter(p -> p.getFileName().toString().equals("frozen_inference_graph.pb"))
                .toList();
        if (named.size() == 1) {
            return named.get(0);
        }
        if (graphs.size() == 1) {
            return graphs.get(0);
        }
        throw new IOException(
                archive + " holds " + (graphs.isEmpty() ? "no frozen graph (.pb)" : "several .pb files " + graphs)
                        + "; expected frozen_inference_graph.pb");
    }

    /** Discards what it is given. */
    private static final class OutputStreamSink extends OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
            // discard
        }

        @Override
        public void write(byte[] b, int off, int len) {
            // discard
        }
    }
}
