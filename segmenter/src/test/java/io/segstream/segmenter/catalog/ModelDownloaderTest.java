package io.segstream.segmenter.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.FrozenGraphConverter;
import io.segstream.segmenter.model.ModelLoader;
import io.segstream.segmenter.model.RgbImage;
import io.segstream.segmenter.model.SegmentationModel;
import io.segstream.testkit.Assets;
import io.segstream.testkit.IntegrationTest;
import io.segstream.testkit.Tools;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls against a real HTTP server on 127.0.0.1 serving a tarball of the real frozen graph, made here. */
@IntegrationTest
class ModelDownloaderTest {

    @TempDir
    Path dir;

    private byte[] archive;
    private HttpServer server;
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile long cutFirstResponseAfter = -1;

    @BeforeEach
    void serveTheArchive() throws Exception {
        Path tgz = dir.resolve("served.tar.gz");
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(tgz)))) {
            Path graph = Assets.require(Assets.FROZEN_GRAPH);
            TarArchiveEntry e = new TarArchiveEntry(graph.toFile(), "deeplab_test/frozen_inference_graph.pb");
            tar.putArchiveEntry(e);
            Files.copy(graph, tar);
            tar.closeArchiveEntry();
        }
        archive = Files.readAllBytes(tgz);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.createContext("/models/test.tar.gz", ex -> {
            int n = requests.incrementAndGet();
            String range = ex.getRequestHeaders().getFirst("Range");
            ranges.add(range == null ? "" : range);
            int from = range == null ? 0 : Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            if (from > 0) {
                ex.getResponseHeaders()
                        .set("Content-Range", "bytes " + from + "-" + (archive.length - 1) + "/" + archive.length);
            }
            ex.sendResponseHeaders(from > 0 ? 206 : 200, archive.length - from);
            OutputStream out = ex.getResponseBody();
            try {
                if (n == 1 && cutFirstResponseAfter > 0) {
                    out.write(archive, from, (int) cutFirstResponseAfter);
                    out.flush();
                    sleep(500);
                    throw new IOException("cut: the connection drops mid-body");
                }
                out.write(archive, from, archive.length - from);
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private CatalogEntry entry(Optional<String> sha) {
        return new CatalogEntry(
                "test-model",
                "a test",
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/models/test.tar.gz"),
                "test.tar.gz",
                archive.length,
                sha,
                "cityscapes",
                "deeplab",
                Optional.empty());
    }

    @Test
    void shouldDownloadWithProgressVerifyUnpackConvertRecordAndThenHitTheCache() throws Exception {
        CatalogEntry entry = entry(Optional.of(sha(archive)));
        ModelDownloader downloader =
                new ModelDownloader(dir.resolve("cache"), new FrozenGraphConverter(dir.resolve("cache")));
        List<long[]> progress = new ArrayList<>();

        Path saved = downloader.pull(entry, (bytes, total) -> progress.add(new long[] {bytes, total}));

        assertThat(saved.resolve("saved_model.pb")).isRegularFile();
        assertThat(progress.size()).isGreaterThan(2);
        assertThat(progress.get(progress.size() - 1)).containsExactly(archive.length, archive.length);
        assertThat(Files.readString(downloader.directory(entry).resolve("model.properties")))
                .contains("archiveSha256=" + sha(archive));
        assertThat(downloader.pull(entry, (b, t) -> {})).isEqualTo(saved);
        assertThat(requests.get()).as("a second pull is a cache hit").isEqualTo(1);
        try (SegmentationModel model = new ModelLoader(dir.resolve("cache"), DeviceChoice.CPU).load(saved);
                SegmentationModel.Predictor p = model.newPredictor()) {
            assertThat(p.segment(new RgbImage(64, 32, new byte[64 * 32 * 3])).width())
                    .isEqualTo(64);
        }
    }

    @Test
    void shouldResumeAnInterruptedDownloadWithARangeRequest() throws Exception {
        cutFirstResponseAfter = archive.length / 2;
        Path saved = new ModelDownloader(dir.resolve("cache"), new FrozenGraphConverter(dir.resolve("cache")))
                .pull(entry(Optional.of(sha(archive))), (b, t) -> {});

        assertThat(saved.resolve("saved_model.pb")).isRegularFile();
        assertThat(requests.get()).isEqualTo(2);
        assertThat(ranges.get(0)).isEmpty();
        assertThat(ranges.get(1)).isEqualTo("bytes=" + archive.length / 2 + "-");
    }

    @Test
    void shouldRefuseAndRemoveAnArchiveWhoseChecksumDiffers() throws Exception {
        CatalogEntry entry = entry(Optional.of("0".repeat(64)));
        ModelDownloader downloader =
                new ModelDownloader(dir.resolve("cache"), new FrozenGraphConverter(dir.resolve("cache")));

        assertThatThrownBy(() -> downloader.pull(entry, (b, t) -> {}))
                .hasMessage("checksum mismatch for test.tar.gz: expected SHA-256 " + "0".repeat(64) + ", got "
                        + sha(archive) + "; the file was removed, pull again");
        assertThat(downloader.directory(entry).resolve("test.tar.gz")).doesNotExist();
    }

    @Test
    void shouldSayWhatToDownloadWhereWhenOfflineAndUseAnArchivePlacedThereByHand() throws Exception {
        CatalogEntry offline = new CatalogEntry(
                "test-model",
                "a test",
                URI.create("http://127.0.0.1:" + Tools.freePort() + "/models/test.tar.gz"),
                "test.tar.gz",
                archive.length,
                Optional.empty(),
                "cityscapes",
                "deeplab",
                Optional.empty());
        ModelDownloader downloader =
                new ModelDownloader(dir.resolve("cache"), new FrozenGraphConverter(dir.resolve("cache")));
        Path placed = downloader.directory(offline).resolve("test.tar.gz");

        assertThatThrownBy(() -> downloader.pull(offline, (b, t) -> {}))
                .hasMessageStartingWith("cannot download " + offline.url())
                .hasMessageEndingWith("Offline? Download it by hand and place it at " + placed
                        + ", then run: segstream models pull test-model");

        Files.write(placed, archive);
        assertThat(downloader.pull(offline, (b, t) -> {}).resolve("saved_model.pb"))
                .isRegularFile();
    }

    @Test
    void shouldKeepTheBuiltInCatalogConsistent() {
        ModelCatalog catalog = ModelCatalog.builtIn();

        assertThat(catalog.entries())
                .extracting(CatalogEntry::name)
                .doesNotHaveDuplicates()
                .allMatch(n -> n.matches("[a-z0-9]+(-[a-z0-9]+)*"))
                .contains("deeplabv3-mobilenetv2-cityscapes", "deeplabv3plus-xception65-cityscapes");
        assertThat(catalog.entries()).allSatisfy(e -> {
            assertThat(e.url().getScheme()).isIn("http", "https");
            assertThat(e.url().getPath()).endsWith("/" + e.archive());
            assertThat(e.approxBytes()).isGreaterThan(1L << 20);
            assertThat(e.taxonomy()).isEqualTo("cityscapes");
            e.sha256().ifPresent(s -> assertThat(s).matches("[0-9a-f]{64}"));
        });
        assertThat(catalog.find("deeplabv3plus-xception65-cityscapes")).isPresent();
        assertThat(catalog.find("nope")).isEmpty();
    }

    @Test
    void shouldLoadAModelGivenAsATarballOrAsACatalogNameOncePulled() throws Exception {
        Path tarball = Files.write(dir.resolve("deeplab-test.tar.gz"), archive);
        try (SegmentationModel model = new ModelLoader(dir.resolve("cache"), DeviceChoice.CPU).load(tarball)) {
            assertThat(model.id()).isEqualTo("deeplab-test");
            assertThat(model.maxBatch()).isEqualTo(1);
        }
        assertThatThrownBy(() -> new ModelLoader(dir.resolve("cache"), DeviceChoice.CPU)
                        .load(Path.of("deeplabv3-mobilenetv2-cityscapes")))
                .hasMessage("model deeplabv3-mobilenetv2-cityscapes is in the catalog but not in the cache "
                        + dir.resolve("cache")
                        + ": run segstream models pull deeplabv3-mobilenetv2-cityscapes (it downloads "
                        + "http://download.tensorflow.org/models/deeplabv3_mnv2_cityscapes_train_2018_02_05.tar.gz)");
        Path garbage = Files.write(dir.resolve("broken.tar.gz"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> new ModelLoader(dir.resolve("cache"), DeviceChoice.CPU).load(garbage))
                .hasMessageStartingWith("model " + garbage + ": " + garbage + " is not a readable .tar.gz");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String sha(byte[] bytes) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
