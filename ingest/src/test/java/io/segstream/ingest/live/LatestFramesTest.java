package io.segstream.ingest.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.media.BgrPicture;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LatestFramesTest {

    private static final UUID SESSION = UUID.randomUUID();

    private static Pending frame(long pts) {
        return new Pending(SESSION, new BgrPicture(new BufferedImage(2, 2, BufferedImage.TYPE_3BYTE_BGR)), pts, 0, 10);
    }

    @Test
    void shouldDropTheOldestFrameWhenFullButNeverASessionEnd() throws Exception {
        LatestFrames queue = new LatestFrames(2);
        int dropped = queue.offer(frame(1)) + queue.offer(frame(2));
        queue.endSession(new SessionEnd(SESSION));
        dropped += queue.offer(frame(3));
        dropped += queue.offer(frame(4));

        List<Object> out = new ArrayList<>();
        Optional<LatestFrames.Item> item;
        while ((item = queue.poll(0)).isPresent()) {
            out.add(item.get() instanceof Pending p ? p.ptsMicros() : "end");
        }

        assertThat(dropped).isEqualTo(2);
        assertThat(out).containsExactly("end", 3L, 4L);
    }

    @Test
    @Timeout(60) // a blocking offer would wait here for ever: nobody takes from the queue
    void shouldNeverBlockTheReaderHoweverSlowTheSender() {
        LatestFrames queue = new LatestFrames(4);
        int dropped = 0;
        for (int i = 0; i < 10_000; i++) {
            dropped += queue.offer(frame(i)); // on the reader's thread, with no sender taking anything
        }

        assertThat(dropped).isEqualTo(10_000 - 4);
        assertThat(queue.frames()).isEqualTo(4);
    }

    @Test
    void shouldNotBeEmptyWhileASessionEndWaitsAlone() throws Exception {
        LatestFrames queue = new LatestFrames(2);
        queue.endSession(new SessionEnd(SESSION));

        assertThat(queue.frames()).isZero();
        assertThat(queue.isEmpty())
                .as("the sender must not stop before the session's end goes out")
                .isFalse();
        assertThat(queue.poll(0)).containsInstanceOf(SessionEnd.class);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void shouldWaitForAnItemNoLongerThanAsked() throws Exception {
        LatestFrames queue = new LatestFrames(1);
        long start = System.nanoTime();

        assertThat(queue.poll(100)).isEmpty();
        // the time is the behaviour here: it waited (a busy machine only makes it longer) and came back
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(Duration.ofMillis(90))
                .isLessThan(Duration.ofSeconds(30));
    }
}
