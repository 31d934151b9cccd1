package io.segstream.sink.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.ImageEncoding;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingsTest {

    private static final int W = 64;
    private static final int H = 48;

    @TempDir
    Path out;

    private final UUID session = UUID.randomUUID();

    @Test
    void shouldJoinThePartsOfARestartedSessionWithEveryFrameOnce() throws Exception {
        Recordings first = new Recordings(out, Duration.ofMinutes(5));
        for (int seq = 0; seq < 20; seq++) {
            first.append("cam", meta(seq, false), picture(seq), line(seq));
        }
        first.close(); // the sink stops; its state was committed at frame 12, so frames 12..19 come again
        Recordings second = new Recordings(out, Duration.ofMinutes(5));
        for (int seq = 12; seq < 30; seq++) {
            second.append("cam", meta(seq, false), picture(seq), line(seq));
        }

        long frames = second.finish("cam", session, "{\"summary\":{}}");

        assertThat(frames).isEqualTo(30);
        assertThat(decodedFrames(out.resolve("cam").resolve(Recordings.VIDEO))).isEqualTo(30);
        List<String> lines = Files.readAllLines(out.resolve("cam").resolve(Recordings.STATS), StandardCharsets.UTF_8);
        List<String> expected = new ArrayList<>();
        for (int seq = 0; seq < 30; seq++) {
            expected.add(line(seq));
        }
        assertThat(lines).isEqualTo(expected);
        assertThat(out.resolve("cam").resolve(Recordings.SUMMARY)).content().contains("summary");
        assertThat(out.resolve("cam").resolve(Recordings.PARTS)).doesNotExist();
    }

    @Test
    void shouldMakeAPartCutShortWholeFromTheTopicsWithEveryFrameOnce() throws Exception {
        List<Long> asked = new ArrayList<>();
        Rebuilder topics = (camera, s, from, to) -> {
            asked.add(from);
            asked.add(to);
            List<Rebuilder.Frame> frames = new ArrayList<>();
            for (long seq = from; seq < Math.min(to, 30); seq++) {
                frames.add(new Rebuilder.Frame(seq, 10, picture((int) seq), line(seq)));
            }
            return frames;
        };
        writeThenCutTheFirstPartShort(true, true);
        Recordings second = new Recordings(out, Duration.ofMinutes(5), topics);
        for (int seq = 12; seq < 30; seq++) {
            second.append("cam", meta(seq, false), picture(seq), line(seq));
        }

        long frames = second.finish("cam", session, "{\"summary\":{}}");

        assertThat(asked).hasSize(2);
        assertThat(asked.get(0))
                .as("made again from the first frame the cut part lost")
                .isLessThan(12L);
        assertThat(asked.get(1)).as("up to where the next part starts").isEqualTo(12L);
        assertThat(frames).isEqualTo(30);
        assertThat(decodedFrames(out.resolve("cam").resolve(Recordings.VIDEO))).isEqualTo(30);
        assertThat(Files.readAllLines(out.resolve("cam").resolve(Recordings.STATS), StandardCharsets.UTF_8))
                .isEqualTo(lines(0, 30));
    }

    @Test
    void shouldKeepWhatADamagedPartHoldsIntactWhenTheTopicsCannotMakeItWhole() throws Exception {
        writeThenCutTheFirstPartShort(true, false);
        Recordings second = new Recordings(out, Duration.ofMinutes(5));
        for (int seq = 12; seq < 30; seq++) {
            second.append("cam", meta(seq, false), picture(seq), line(seq));
        }

        long frames = second.finish("cam", session, "{\"summary\":{}}");

        List<String> lines = Files.readAllLines(out.resolve("cam").resolve(Recordings.STATS), StandardCharsets.UTF_8);
        assertThat(frames).isLessThan(30).isEqualTo(lines.size());
        assertThat(decodedFrames(out.resolve("cam").resolve(Recordings.VIDEO)))
                .as("every frame in the video decodes: none cut short")
                .isEqualTo(frames);
        assertThat(lines).endsWith(lines(12, 30).toArray(String[]::new));
        assertThat(lines).startsWith(line(0));
    }

    /** Frames 0..19 into a part, which a crash or a full disk then cuts to half its size (video, lines or both). */
    private void writeThenCutTheFirstPartShort(boolean video, boolean stats) throws Exception {
        Recordings first = new Recordings(out, Duration.ofMinutes(5));
        for (int seq = 0; seq < 20; seq++) {
            first.append("cam", meta(seq, false), picture(seq), line(seq));
        }
        first.close();
        Path parts = out.resolve("cam").resolve(Recordings.PARTS).resolve(session.toString());
        for (String name : List.of(video ? "000000000000.mp4" : "", stats ? "000000000000.jsonl" : "")) {
            if (!name.isEmpty()) {
                byte[] whole = Files.readAllBytes(parts.resolve(name));
                Files.write(parts.resolve(name), java.util.Arrays.copyOf(whole, cut(whole, name.endsWith(".mp4"))));
            }
        }
    }

    /**
     * Where to cut a file to about half: a video inside the payload of a fragment (10 bytes into its
     * mdat box), so its last packet is cut short as a crash or a full disk leaves it; text anywhere.
     */
    private static int cut(byte[] file, boolean video) {
        int half = file.length / 2;
        if (!video) {
            return half + 3;
        }
        for (int at = half; at > 4; at--) {
            if (file[at] == 'm' && file[at + 1] == 'd' && file[at + 2] == 'a' && file[at + 3] == 't') {
                return at + 4 + 10;
            }
        }
        throw new AssertionError("no fragment in the first half of the video");
    }

    private static List<String> lines(long from, long to) {
        List<String> out = new ArrayList<>();
        for (long seq = from; seq < to; seq++) {
            out.add(line(seq));
        }
        return out;
    }

    @Test
    void shouldRollLiveFilesByCaptureTimeWhateverTheSessionsAndCloseThemSoTheyPlay() throws Exception {
        Recordings recordings = new Recordings(out, Duration.ofSeconds(1));
        UUID reconnected = UUID.randomUUID();
        for (int seq = 0; seq < 15; seq++) { // 10 fps: 1.5 s of capture time, then the camera reconnects
            recordings.append("cam", meta(seq, true), picture(seq), "{\"session\":\"" + session + "\"}");
        }
        recordings.finish("cam", session, "{}");
        for (int seq = 15; seq < 25; seq++) { // 1 s more in its new session, which numbers its frames anew
            FrameMeta m = meta(seq, true);
            FrameMeta next = new FrameMeta(
                    reconnected, seq - 15, m.ptsMicros(), m.captureMicros(), W, H, m.encoding(), -1, 10, true);
            recordings.append("cam", next, picture(seq), "{\"session\":\"" + reconnected + "\"}");
        }
        recordings.finish("cam", reconnected, "{}");
        recordings.closeIdle(Duration.ZERO); // the camera went silent

        Path live = out.resolve("cam").resolve(Recordings.LIVE);
        List<Path> videos;
        try (Stream<Path> s = Files.list(live)) {
            videos = s.filter(p -> p.toString().endsWith(".mp4")).sorted().toList();
        }
        assertThat(videos).as("files of 1 s each, not one per session").hasSize(3);
        List<Long> counts = new ArrayList<>();
        for (Path v : videos) {
            counts.add(decodedFrames(v));
        }
        assertThat(counts).containsExactly(10L, 10L, 5L);
        Path middle = Path.of(videos.get(1).toString().replace(".mp4", ".jsonl"));
        assertThat(Files.readAllLines(middle))
                .as("the session change marked in the file that holds it")
                .hasSize(10)
                .containsSubsequence("{\"session\":\"" + session + "\"}", "{\"session\":\"" + reconnected + "\"}");
        assertThat(live.resolve(session + ".summary.json")).exists();
        assertThat(live.resolve(reconnected + ".summary.json")).exists();
    }

    @Test
    void shouldNeverWriteForAKeyThatIsNoCameraIdOrWouldLeaveTheOutputDirectory() throws Exception {
        Path inside = Files.createDirectories(out.resolve("outputs"));
        Recordings recordings = new Recordings(inside, Duration.ofMinutes(5));
        try {
            for (String key : List.of("..", ".", "../../x", "/some/absolute/dir", "a/b")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> recordings.append(key, meta(0, false), picture(0), line(0)))
                        .as(key)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("is not a camera id");
            }
        } finally {
            recordings.close();
        }
        try (Stream<Path> written = Files.walk(out)) {
            assertThat(written.filter(Files::isRegularFile).toList())
                    .as("files written anywhere")
                    .isEmpty();
        }
    }

    private FrameMeta meta(long seq, boolean live) {
        return new FrameMeta(
                session,
                seq,
                seq * 100_000,
                1_700_000_000_000_000L + seq * 100_000,
                W,
                H,
                ImageEncoding.JPEG,
                -1,
                10,
                live);
    }

    private static String line(long seq) {
        return "{\"camera\":\"cam\",\"sequence\":" + seq + "}";
    }

    private static BufferedImage picture(int seq) {
        return picture((long) seq);
    }

    private static BufferedImage picture(long seq) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
        var g = img.createGraphics();
        g.setColor(new java.awt.Color((int) (seq * 8 % 256), 100, 200));
        g.fillRect(0, 0, W, H);
        g.dispose();
        return img;
    }

    static long decodedFrames(Path video) throws Exception {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile())) {
            grabber.start();
            assertThat(grabber.getImageWidth()).isEqualTo(W);
            assertThat(grabber.getImageHeight()).isEqualTo(H);
            long n = 0;
            for (Frame f = grabber.grabImage(); f != null; f = grabber.grabImage()) {
                n++;
            }
            return n;
        }
    }
}
