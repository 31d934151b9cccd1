package io.segstream.segmenter.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls catalog models into a cache: downloads the archive (resuming an interrupted download with
 * an HTTP range request, or starting over when the server does not support ranges), verifies its
 * SHA-256, unpacks it, converts its frozen graph once to a SavedModel and records the result in
 * {@code <cache>/catalog/<name>/model.properties}. A model already pulled is a cache hit; an
 * archive placed by hand where the download would go is used as it is.
 */
public final class ModelDownloader {

    /** Hears how far a download has got; {@code total} is -1 when unknown. */
    public interface Progress {
        void update(long bytes, long total);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ModelDownloader.class);
    private static final int ATTEMPTS = 3;
    private static final int REPORT_EVERY = 1 << 20;

    private final Path cache;
    private final GraphConverter converter;

    /** @param converter turns a pulled frozen graph into the SavedModel the engine loads */
    public ModelDownloader(Path cache, GraphConverter converter) {
        this.cache = cache;
        this.converter = converter;
    }

    /** Where an entry's files live in the cache. */
    public Path directory(CatalogEntry entry) {
        return cache.resolve("catalog").resolve(entry.name());
    }

    /** The SavedModel of a pulled entry, if it has been pulled. */
    public Optional<Path> pulled(CatalogEntry entry) throws IOException {
        Path record = directory(entry).resolve("model.properties");
        if (!Files.exists(record)) {
            return Optional.empty();
        }
        Properties p = read(record);
        Path saved = Path.of(p.getProperty("savedModel", ""));
        return Files.isRegularFile(saved.resolve("saved_model.pb")) ? Optional.of(saved) : Optional.empty();
    }

    /**
     * The entry's SavedModel, pulled first when needed.
     *
     * @throws IOException saying what to download where when the network fails, or why the archive is refused
     */
    public Path pull(CatalogEntry entry, Progress progress) throws IOException {
        Optional<Path> hit = pulled(entry);
        if (hit.isPresent()) {
            LOG.info("Model {} is in the cache: {}", entry.name(), hit.get());
            return hit.get();
        }
        Path dir = Files.createDirectories(directory(entry));
        Path archive = dir.resolve(entry.archive());
        if (!Files.exists(archive)) {
            download(entry, dir.resolve(entry.archive() + ".part"), archive, progress);
        }
        String sha = ModelArchive.sha256(archive);
        Optional<String> expected = entry.sha256().or(() -> recordedSha(dir));
        if (expected.isPresent() && !expected.get().equalsIgnoreCase(sha)) {
            Files.delete(archive);
            throw new IOException("checksum mismatch for " + entry.archive() + ": expected SHA-256 " + expected.get()
                    + ", got " + sha + "; the file was removed, pull again");
        }
        Path graph;
        try {
            graph = ModelArchive.unpackFrozenGraph(archive, dir.resolve("unpacked"));
        } catch (IOException e) {
            Files.delete(archive);
            throw new IOException(e.getMessage() + "; the archive was removed, pull again", e);
        }
        Path saved = converter.savedModelFor(graph);
        Properties record = new Properties();
        record.setProperty("name", entry.name());
        record.setProperty("url", entry.url().toString());
        record.setProperty("archiveSha256", sha);
        record.setProperty("savedModel", saved.toAbsolutePath().toString());
        record.setProperty("pulledAt", Instant.now().toString());
        try (OutputStream out = Files.newOutputStream(dir.resolve("model.properties"))) {
            record.store(out, "segstream models pull " + entry.name());
        }
        LOG.info("Model {} pulled: {} (archive SHA-256 {})", entry.name(), saved, sha);
        return saved;
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static Optional<String> recordedSha(Path dir) {
        Path record = dir.resolve("model.properties");
        try {
            return Files.exists(record)
                    ? Optional.ofNullable(read(record).getProperty("archiveSha256"))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void download(CatalogEntry entry, Path part, Path archive, Progress progress) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                fetch(entry, part, progress);
                Files.move(part, archive, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (IOException e) {
                last = e instanceof UnknownHostException ? new IOException("unknown host " + e.getMessage(), e) : e;
                if (attempt < ATTEMPTS) {
                    LOG.warn(
                            "Download of {} interrupted after {} bytes ({}); retry {} of {}",
                            entry.archive(),
                            Files.exists(part) ? Files.size(part) : 0,
                            last.getMessage(),
                            attempt,
                            ATTEMPTS - 1);
                    sleep(attempt * 1000L);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading " + entry.url(), e);
            }
        }
        throw new IOException(
                "cannot download " + entry.url() + " (" + last.getMessage() + "). Offline? Download it by hand"
                        + " and place it at " + archive + ", then run: segstream models pull " + entry.name(),
                last);
    }

    private void fetch(CatalogEntry entry, Path part, Progress progress) throws IOException, InterruptedException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpURLConnection c = (HttpURLConnection) entry.url().toURL().openConnection();
        c.setConnectTimeout((int) Duration.ofSeconds(20).toMillis());
        c.setReadTimeout((int) Duration.ofSeconds(60).toMillis());
        c.setInstanceFollowRedirects(true);
        if (have > 0) {
            c.setRequestProperty("Range", "bytes=" + have + "-");
        }
        try {
            int status = c.getResponseCode();
            boolean resumed = status == 206;
            if (status != 200 && !resumed) {
                throw new IOException("HTTP " + status);
            }
            if (!resumed) {
                have = 0;
            }
            long length = c.getContentLengthLong();
            long total = length < 0 ? -1 : have + length;
            try (InputStream in = c.getInputStream();
                    OutputStream out = Files.newOutputStream(
                            part,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[64 * 1024];
                long done = have;
                long reported = done;
                progress.update(done, total);
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    out.write(buffer, 0, n);
                    done += n;
                    if (done - reported >= REPORT_EVERY) {
                        progress.update(done, total);
                        reported = done;
                    }
                }
                progress.update(done, total);
                if (total >= 0 && done != total) {
                    throw new IOException("the connection ended after " + done + " of " + total + " bytes");
                }
            }
        } finally {
            c.disconnect();
        }
    }

    private static Properties read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }
}
