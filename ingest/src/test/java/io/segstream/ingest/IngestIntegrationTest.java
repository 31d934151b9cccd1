package io.segstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.ImageEncoding;
import io.segstream.protocol.Topics;
import io.segstream.protocol.WireHeaders;
import io.segstream.testkit.Clips;
import io.segstream.testkit.KafkaBroker;
import io.segstream.testkit.RealKafka;
import io.segstream.testkit.TestTopics;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealKafka.class)
class IngestIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void shouldPublishEveryFrameInOrderThenTheEndOfStreamWhileABadInputFailsAlone(KafkaBroker kafka) throws Exception {
        Topics topics = TestTopics.create(kafka, "ingest", 2);
        Path clip = Clips.write(dir.resolve("good.mp4"), 15, 128, 96, avcodec.AV_CODEC_ID_H264);
        Path missing = dir.resolve("missing.mp4");

        IngestResult good;
        IngestResult bad;
        try (Ingest ingest = new Ingest(kafka.bootstrapServers(), topics)) {
            CompletableFuture<IngestResult> g = ingest.start(CameraSpec.of("good-cam", clip.toString()));
            CompletableFuture<IngestResult> b = ingest.start(CameraSpec.of("bad-cam", missing.toString()));
            good = g.get();
            bad = b.get();
        }

        assertThat(good.succeeded()).isTrue();
        assertThat(good.frames()).isEqualTo(15);
        assertThat(bad.succeeded()).isFalse();
        assertThat(bad.endOfStreamSent()).isFalse();
        assertThat(bad.error()).hasValue("cannot open input " + missing + ": no such file");

        List<ConsumerRecord<String, byte[]>> records = TestTopics.readAll(kafka, topics.frames());
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo("good-cam"));
        assertThat(records).hasSize(16);
        List<FrameMeta> frames = records.subList(0, 15).stream().map(r -> WireHeaders.readFrame(r.headers())).toList();
        assertThat(frames).extracting(FrameMeta::sequence).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 15).boxed().toList());
        assertThat(frames).extracting(FrameMeta::session).containsOnly(good.session().orElseThrow());
        assertThat(frames).allSatisfy(f -> {
            assertThat(f.width()).isEqualTo(128);
            assertThat(f.height()).isEqualTo(96);
            assertThat(f.encoding()).isEqualTo(ImageEncoding.JPEG);
            assertThat(f.frameRate()).isEqualTo(10.0);
        });
        assertThat(records.subList(0, 15)).allSatisfy(r -> assertThat(r.value()).startsWith(0xFF, 0xD8));
        ConsumerRecord<String, byte[]> last = records.get(15);
        assertThat(WireHeaders.isEndOfStream(last.headers())).isTrue();
        assertThat(WireHeaders.readEndOfStream(last.headers()).frameCount()).isEqualTo(15);
    }
}
