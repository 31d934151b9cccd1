package io.segstream.ingest.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.ingest.camera.CameraSpec;
import io.segstream.ingest.camera.IngestConfig;
import io.segstream.ingest.camera.IngestResult;
import io.segstream.ingest.delivery.Segmented;
import io.segstream.ingest.metrics.CameraMetrics;
import io.segstream.ingest.metrics.IngestMetrics;
import io.segstream.ingest.publish.FramePublisher;
import io.segstream.ingest.source.ScriptedSources;
import io.segstream.ingest.source.ScriptedSources.End;
import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.testkit.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A live camera's read loop with sources of the test's own and Kafka's MockProducer: reconnects,
 * a stalled source, the end of a session, the live-ahead bound and key frames only.
 */
class LiveCameraTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final CameraMetrics metrics = IngestMetrics.inMemory().camera("cam");
    private final CameraSpec camera = CameraSpec.of("cam", "rtsp://127.0.0.1:8554/cam");
    private LiveCamera live;
    private java.util.concurrent.CompletableFuture<IngestResult> result;

    private IngestConfig config() {
        return IngestConfig.defaults("unused:9092", Topics.DEFAULT)
                .withBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    private LiveCamera start(IngestConfig config, ScriptedSources sources, Optional<Segmented> segmented) {
        FramePublisher publisher = new FramePublisher(producer, Topics.DEFAULT, Map.of());
        live = new LiveCamera(camera, config, publisher, metrics, segmented, sources);
        result = live.start();
        return live;
    }

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private synchronized List<ProducerRecord<String, byte[]>> history() {
        return producer.history();
    }

    private List<FrameMeta> frames() {
        return history().stream()
                .filter(r -> !WireHeaders.isEndOfStream(r.headers()))
                .map(r -> WireHeaders.readFrame(r.headers()))
                .toList();
    }

    private List<EndOfStream> ends() {
        return history().stream()
                .filter(r -> WireHeaders.isEndOfStream(r.headers()))
                .map(r -> WireHeaders.readEndOfStream(r.headers()))
                .toList();
    }

    @Test
    void shouldReconnectAfterARefusalAndAnEndAndCloseEachSessionWithItsFrames() throws Exception {
        ScriptedSources sources = new ScriptedSources()
                .failingToOpen()
                .giving(3, -1, End.EMPTY)
                .giving(2, -1, End.FAILURE)
                .endless(20);

        start(config(), sources, Optional.empty());

        Eventually.await(
                "two sessions ended and a third streaming", WAIT, () -> ends().size() == 2 && frames().size() > 6);
        List<EndOfStream> ended = ends();
        assertThat(ended).extracting(EndOfStream::frameCount).containsExactly(3L, 2L);
        List<FrameMeta> frames = frames();
        for (EndOfStream e : ended) {
            assertThat(frames.stream().filter(f -> f.session().equals(e.session())))
                    .extracting(FrameMeta::sequence)
                    .as("session %s", e.session())
                    .containsExactly(java.util.stream.LongStream.range(0, e.frameCount())
                            .boxed()
                            .toArray(Long[]::new));
        }
        assertThat(frames).extracting(FrameMeta::live).containsOnly(true);
        assertThat(frames.stream().map(FrameMeta::session).distinct()).hasSize(3);
        assertThat(metrics.reconnectCount())
                .as("after the refusal, the end and the failure")
                .isEqualTo(3);
        assertThat(metrics.failureCount()).as("the refusal and the read error").isEqualTo(2);
        assertThat(sources.made())
                .extracting(s -> s.closed)
                .as("every source closed but the current one")
                .startsWith(true, true, true);

        live.close();
        IngestResult closed = result.get(5, TimeUnit.SECONDS);
        assertThat(ends()).as("the third session ends when the camera closes").hasSize(3);
        assertThat(closed.sessions()).hasSize(3);
        assertThat(closed.sessions().get(2))
                .isEqualTo(frames().get(frames().size() - 1).session());
    }

    @Test
    void shouldRestartAStalledSourceWithANewSession() throws Exception {
        ScriptedSources sources =
                new ScriptedSources().giving(2, -1, End.SILENCE).endless(20);
        start(config(), sources, Optional.empty());
        Eventually.await("the first two frames", WAIT, () -> frames().size() == 2);

        assertThat(live.checkStall(System.nanoTime()))
                .as("not yet: it just sent a frame")
                .isFalse();
        assertThat(live.checkStall(System.nanoTime() + Duration.ofSeconds(6).toNanos()))
                .as("no frame for longer than the stall timeout")
                .isTrue();

        Eventually.await(
                "frames of a second source",
                WAIT,
                () -> frames().stream().map(FrameMeta::session).distinct().count() == 2);
        assertThat(sources.made()).hasSize(2);
        UUID first = frames().get(0).session();
        Eventually.await(
                "the stalled session's end",
                WAIT,
                () -> ends().stream().anyMatch(e -> e.session().equals(first) && e.frameCount() == 2));
    }

    /** The segmenters commit nothing: at most live-ahead frames go out, the rest is skipped, then read key frame to key frame. */
    @Test
    void shouldHoldBackAtTheLiveAheadBoundAndDecodeKeyFramesOnlyWhileTheSegmentersStayBehind() throws Exception {
        AtomicLong committed = new AtomicLong();
        Segmented segmenters = new Segmented() {
            @Override
            public List<String> groups() {
                return List.of("segstream-segmenter");
            }

            @Override
            public long nextKnown(TopicPartition partition) {
                return committed.get();
            }

            @Override
            public long next(TopicPartition partition) {
                return committed.get();
            }
        };
        ScriptedSources sources = new ScriptedSources().endless(1);
        start(config().withLiveAhead(2), sources, Optional.of(segmenters));

        ScriptedSources.Scripted source = waitForSource(sources);
        Eventually.await("key frames only after a second behind", WAIT, () -> source.keyFrameReads.get() > 2);
        assertThat(frames())
                .as("published while the segmenters committed nothing")
                .hasSize(2);
        assertThat(source.skipped.get()).as("frames read past without decoding").isGreaterThan(20);
        assertThat(metrics.droppedAheadCount()).isGreaterThan(0);
        long decodedBehind = source.decoded.get();
        assertThat(decodedBehind)
                .as("decoded while behind: the first frames and one per key frame read")
                .isLessThan(source.given() / 5);

        committed.set(Long.MAX_VALUE / 2); // the segmenters catch up
        Eventually.await("frames flow again", WAIT, () -> frames().size() > 10);
        assertThat(frames()).extracting(FrameMeta::sequence).doesNotHaveDuplicates();
    }

    private static ScriptedSources.Scripted waitForSource(ScriptedSources sources) throws InterruptedException {
        Eventually.await("a source", WAIT, () -> !sources.made().isEmpty());
        return sources.made().get(0);
    }
}
