package io.segstream.ingest.recorded;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.camera.Resume;
import io.segstream.ingest.metrics.CameraMetrics;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.ingest.publish.FramePublisher;
import io.segstream.ingest.source.ScriptedSources;
import io.segstream.ingest.source.ScriptedSources.End;
import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A recorded input's read loop with sources of the test's own and Kafka's MockProducer: no FFmpeg, no broker. */
class RecordedCameraTest {

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final IngestConfig config = IngestConfig.defaults("unused:9092", Topics.DEFAULT)
            .withBackoff(Duration.ofMillis(5), Duration.ofMillis(20));
    private final CameraMetrics metrics = IngestMetrics.inMemory().camera("cam");

    private IngestResult read(CameraSpec camera, ScriptedSources sources) throws Exception {
        return read(camera, sources, Resume.fresh());
    }

    private IngestResult read(CameraSpec camera, ScriptedSources sources, Resume resume) throws Exception {
        FramePublisher publisher = new FramePublisher(producer, Topics.DEFAULT, Map.of());
        RecordedCamera c = new RecordedCamera(
                camera,
                config,
                publisher,
                metrics,
                Optional.empty(),
                Executors.newSingleThreadExecutor(),
                sources,
                resume);
        return c.start().get(20, TimeUnit.SECONDS);
    }

    private List<ProducerRecord<String, byte[]>> frames() {
        return producer.history().stream()
                .filter(r -> !WireHeaders.isEndOfStream(r.headers()))
                .toList();
    }

    private EndOfStream endOfStream() {
        List<ProducerRecord<String, byte[]>> ends = producer.history().stream()
                .filter(r -> WireHeaders.isEndOfStream(r.headers()))
                .toList();
        assertThat(ends).as("end-of-stream records").hasSize(1);
        assertThat(producer.history().get(producer.history().size() - 1))
                .as("the last record")
                .isSameAs(ends.get(0));
        return WireHeaders.readEndOfStream(ends.get(0).headers());
    }

    @Test
    void shouldPublishEveryFrameInOrderThenTheEndOfStream() throws Exception {
        IngestResult result =
                read(CameraSpec.of("cam", "/clips/drive.mp4"), new ScriptedSources().giving(5, 5, End.EMPTY));

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.frames()).isEqualTo(5);
        List<FrameMeta> metas =
                frames().stream().map(r -> WireHeaders.readFrame(r.headers())).toList();
        assertThat(metas).extracting(FrameMeta::sequence).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(metas).extracting(FrameMeta::ptsMicros).containsExactly(0L, 40_000L, 80_000L, 120_000L, 160_000L);
        assertThat(metas).extracting(FrameMeta::live).containsOnly(false);
        assertThat(metas)
                .extracting(FrameMeta::session)
                .containsOnly(result.sessions().get(0));
        assertThat(frames()).extracting(ProducerRecord::key).containsOnly("cam");
        assertThat(endOfStream()).isEqualTo(new EndOfStream(result.sessions().get(0), 5));
    }

    @Test
    void shouldGoOnInTheSessionItTakesOverAfterTheFramesPublishedBefore() throws Exception {
        UUID session = UUID.randomUUID();

        IngestResult result = read(
                CameraSpec.of("cam", "/clips/drive.mp4"),
                new ScriptedSources().giving(6, 6, End.EMPTY),
                new Resume(session, 4));

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        List<FrameMeta> metas =
                frames().stream().map(r -> WireHeaders.readFrame(r.headers())).toList();
        assertThat(metas).extracting(FrameMeta::sequence).containsExactly(4L, 5L);
        assertThat(metas)
                .extracting(FrameMeta::ptsMicros)
                .as("the frames after the ones published before")
                .containsExactly(160_000L, 200_000L);
        assertThat(metas).extracting(FrameMeta::session).containsOnly(session);
        assertThat(endOfStream()).as("the whole session's count").isEqualTo(new EndOfStream(session, 6));
    }

    @Test
    void shouldReportATruncatedInputAndStillEndItsStream() throws Exception {
        IngestResult result =
                read(CameraSpec.of("cam", "/clips/drive.mp4"), new ScriptedSources().giving(3, 40, End.EMPTY));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.error().orElseThrow())
                .contains("ended after 3 of the 40 frames")
                .contains("truncated");
        assertThat(frames()).hasSize(3);
        assertThat(endOfStream().frameCount()).isEqualTo(3);
    }

    @Test
    void shouldKeepTheFramesReadBeforeAReadErrorAndNameIt() throws Exception {
        IngestResult result =
                read(CameraSpec.of("cam", "/clips/drive.mp4"), new ScriptedSources().giving(2, -1, End.FAILURE));

        assertThat(result.error().orElseThrow())
                .contains("failed after 2 frames")
                .contains("Connection reset");
        assertThat(frames()).hasSize(2);
        assertThat(endOfStream().frameCount()).isEqualTo(2);
    }

    @Test
    void shouldRetryOpeningANetworkInputWithBackoffAndGiveUpAfterItsAttempts() throws Exception {
        CameraSpec stream =
                CameraSpec.of("cam", "rtsp://127.0.0.1:8554/recorded").withLive(false);
        ScriptedSources twoRefusals =
                new ScriptedSources().giving(2, 2, End.EMPTY).afterRefusals(2);

        IngestResult opened = read(stream, twoRefusals);

        assertThat(opened.succeeded()).as(opened.toString()).isTrue();
        assertThat(opened.frames()).isEqualTo(2);
        assertThat(twoRefusals.made().get(0).openAttempts)
                .as("opens: two refused, the third read")
                .hasValue(3);
        assertThat(metrics.failureCount()).isEqualTo(2);

        producer.clear();
        ScriptedSources refusing = new ScriptedSources().failingToOpen();
        IngestResult refused = read(stream, refusing);
        assertThat(refused.error().orElseThrow())
                .contains("cannot open input rtsp://127.0.0.1:8554/recorded")
                .contains("(3 attempts)");
        assertThat(refusing.made().get(0).openAttempts).hasValue(3);
        assertThat(producer.history())
                .as("nothing published for an input never opened")
                .isEmpty();
    }

    @Test
    void shouldTryALocalFileOnlyOnce() throws Exception {
        ScriptedSources refusing = new ScriptedSources().failingToOpen();

        IngestResult refused = read(CameraSpec.of("cam", "/clips/missing.mp4"), refusing);

        assertThat(refused.error().orElseThrow())
                .contains("cannot open input /clips/missing.mp4")
                .doesNotContain("attempts");
        assertThat(refusing.made().get(0).openAttempts).hasValue(1);
    }
}
