package io.segstream.sink.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.media.Mp4Concat;
import io.segstream.protocol.CameraId;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.Taxonomy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The overlay files of a sink under {@code <outputDir>/<camera>/}.
 *
 * <p>A recorded input's session is written in parts, {@code .parts/<session>/<first sequence>.mp4}
 * with its {@code .jsonl}: a part starts whenever this process takes the session up (first frame,
 * or again after a restart). When the session ends the parts are joined without re-encoding into
 * {@code overlay.mp4} and {@code stats.jsonl}, each part cut where the next one starts, so frames
 * handed on again after a restart appear once, and {@code summary.json} is written beside them.
 * The next recorded session of the same camera replaces these three files.
 *
 * <p>A live camera is written as rolling files {@code live/<UTC start>.mp4} and {@code .jsonl} of
 * at most the configured length of capture time each, whatever its sessions: a reconnect, or the
 * camera moving to another ingest instance, goes on in the same file (each line of the
 * {@code .jsonl} names its session, and the log says where a session starts). A file also ends
 * when the picture size changes, and when the camera has sent nothing for {@link #LIVE_IDLE}. A
 * session's summary goes to {@code live/<session>.summary.json} when it ends.
 */
public final class Recordings implements AutoCloseable {

    public static final String VIDEO = "overlay.mp4";
    public static final String STATS = "stats.jsonl";
    public static final String SUMMARY = "summary.json";
    static final String PARTS = ".parts";
    static final String LIVE = "live";
    /** A live file that has had no frame for this long is closed, so that it plays. */
    public static final Duration LIVE_IDLE = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(Recordings.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Path outputDir;
    private final Duration liveSegment;
    private final Rebuilder rebuilder;
    /** Concurrent: {@link #awaitWritten()} is called by the committing thread. */
    private final Map<String, OverlayFile> open = new ConcurrentHashMap<>();

    /** @param liveSegment the capture time a live file covers before the next one starts */
    public Recordings(Path outputDir, Duration liveSegment) {
        this(outputDir, liveSegment, Rebuilder.NONE);
    }

    /** @param rebuilder makes again, from the topics, what a damaged part lost */
    public Recordings(Path outputDir, Duration liveSegment, Rebuilder rebuilder) {
        this.outputDir = outputDir;
        this.liveSegment = liveSegment;
        this.rebuilder = rebuilder;
    }

    /** Writes one overlay frame and its statistics line. */
    public void append(String camera, FrameMeta frame, BufferedImage overlay, String statsJson) {
        String key = frame.live() ? liveKey(camera) : camera + '/' + frame.session();
        try {
            OverlayFile f = open.get(key);
            if (f != null
                    && frame.live()
                    && (frame.captureMicros() - f.startMicros() >= liveSegment.toNanos() / 1000 || !f.fits(overlay))) {
                closeLive(camera, open.remove(key));
                f = null;
            }
            if (f != null && frame.live() && !f.session().equals(frame.session())) {
                LOG.info("Camera {}: session {} goes on in live overlay {}", camera, frame.session(), f.video());
                f.session(frame.session());
            }
            if (f == null) {
                f = frame.live() ? openLive(camera, frame, overlay) : openPart(camera, frame, overlay);
                open.put(key, f);
            }
            f.append(overlay, statsJson);
        } catch (IOException e) {
            throw new UncheckedIOException("camera " + camera + ": cannot write the overlay: " + e.getMessage(), e);
        }
    }

    private OverlayFile openPart(String camera, FrameMeta frame, BufferedImage overlay) throws IOException {
        Path dir = partsDir(camera, frame.session());
        String name = String.format("%012d", frame.sequence());
        Path video = dir.resolve(name + ".mp4");
        Files.deleteIfExists(video);
        LOG.info(
                "Camera {}: writing the overlay of session {} from frame {} (joined into {} at its end)",
                camera,
                frame.session(),
                frame.sequence(),
                cameraDir(camera).resolve(VIDEO));
        return open(dir, name, frame, overlay);
    }

    private OverlayFile openLive(String camera, FrameMeta frame, BufferedImage overlay) throws IOException {
        Path dir = cameraDir(camera).resolve(LIVE);
        String stamp = STAMP.format(Instant.ofEpochSecond(0, frame.captureMicros() * 1000));
        String name = stamp;
        for (int n = 1; Files.exists(dir.resolve(name + ".mp4")); n++) {
            name = stamp + "-" + n;
        }
        Path video = dir.resolve(name + ".mp4");
        LOG.info("Camera {}: writing live overlay {}", camera, video);
        return open(dir, name, frame, overlay);
    }

    private static String liveKey(String camera) {
        return camera + "/" + LIVE;
    }

    /** Closes the live files that have had no frame for {@code idle}, so that they play. */
    public void closeIdle(Duration idle) {
        long now = System.nanoTime();
        for (Map.Entry<String, OverlayFile> e : open.entrySet()) {
            OverlayFile f = e.getValue();
            if (e.getKey().endsWith("/" + LIVE) && now - f.lastAppendNanos() >= idle.toNanos()) {
                open.remove(e.getKey());
                try {
                    closeLive(e.getKey().substring(0, e.getKey().length() - LIVE.length() - 1), f);
                } catch (IOException x) {
                    LOG.warn("Overlay {} could not be closed: {}", f.video(), x.getMessage());
                }
            }
        }
    }

    /** {@code dir/name.mp4} with its statistics beside it in {@code dir/name.jsonl}, from {@code frame} on. */
    private static OverlayFile open(Path dir, String name, FrameMeta frame, BufferedImage overlay) throws IOException {
        return OverlayFile.open(
                dir.resolve(name + ".mp4"),
                dir.resolve(name + ".jsonl"),
                overlay.getWidth(),
                overlay.getHeight(),
                frame.frameRate(),
                frame.captureMicros(),
                frame.session());
    }

    private void closeLive(String camera, OverlayFile f) throws IOException {
        f.close();
        LOG.info("Camera {}: finished live overlay {} with {} frames", camera, f.video(), f.frames());
    }

    /**
     * Finishes the session's files so that the video plays, and writes its summary.
     *
     * @return the frames in the session's video
     */
    public long finish(String camera, UUID session, String summaryJson) {
        return finish(camera, session, summaryJson, Optional.empty());
    }

    /**
     * As {@link #finish(String, UUID, String)}; a recorded input also gets its {@value Report#FILE},
     * in the colours of {@code taxonomy} where known.
     */
    public long finish(String camera, UUID session, String summaryJson, Optional<Taxonomy> taxonomy) {
        OverlayFile f = open.remove(camera + '/' + session);
        try {
            if (f != null) {
                f.close();
            }
            Path parts = partsDir(camera, session);
            if (Files.isDirectory(parts)) {
                long frames = join(camera, session, parts);
                Files.writeString(cameraDir(camera).resolve(SUMMARY), summaryJson + "\n", StandardCharsets.UTF_8);
                LOG.info(
                        "Camera {}: overlay finished with {} frames in {}",
                        camera,
                        frames,
                        cameraDir(camera).resolve(VIDEO));
                writeReport(camera, summaryJson, taxonomy);
                return frames;
            }
            Path live = cameraDir(camera).resolve(LIVE);
            // a live file goes on across sessions: it rolls by time, or closes when the camera stays silent
            OverlayFile lf = open.get(liveKey(camera));
            if (f != null || lf != null || Files.isDirectory(live)) {
                if (f != null) {
                    LOG.info("Camera {}: finished live overlay {} with {} frames", camera, f.video(), f.frames());
                }
                Files.createDirectories(live);
                Files.writeString(live.resolve(session + ".summary.json"), summaryJson + "\n", StandardCharsets.UTF_8);
                return f != null ? f.frames() : lf == null ? 0 : lf.frames();
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "camera " + camera + ": cannot finish the overlay of session " + session + ": " + e.getMessage(),
                    e);
        }
    }

    /** The report is a view of the files: when it cannot be written they still stand, and the log says why. */
    private void writeReport(String camera, String summaryJson, Optional<Taxonomy> taxonomy) {
        Path dir = cameraDir(camera);
        try {
            Report.write(dir, camera, summaryJson, taxonomy);
            LOG.info("Camera {}: report in {}", camera, dir.resolve(Report.FILE));
        } catch (IOException | RuntimeException e) {
            LOG.error("Camera {}: cannot write {}: {}", camera, dir.resolve(Report.FILE), e.toString());
        }
    }

    /**
     * Joins the parts, each cut where the next starts, into overlay.mp4 and stats.jsonl. A part
     * found damaged (a packet cut short, a statistics line cut short, fewer frames than lines) is
     * made whole first: what it lost is made again from the topics into a repair part, so the
     * joined files hold every frame once.
     */
    private long join(String camera, UUID session, Path partsDir) throws IOException {
        Path dir = cameraDir(camera);
        Path partial = dir.resolve(VIDEO + ".partial");
        Joined joined = joinParts(partsDir, partial);
        if (!joined.damage().isEmpty() && repair(camera, session, partsDir, joined.damage())) {
            joined = joinParts(partsDir, partial);
        }
        for (Damage d : joined.damage()) {
            LOG.warn(
                    "Camera {}: part {} of the overlay is damaged and could not be made whole from the topics; "
                            + "frames {} to {} are not in {}",
                    camera,
                    d.part(),
                    d.from(),
                    d.to() == Long.MAX_VALUE ? "its end" : d.to() - 1,
                    VIDEO);
        }
        if (joined.frames() > 0 || Files.exists(partial)) {
            Files.move(
                    partial, dir.resolve(VIDEO), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.write(dir.resolve(STATS), joined.lines(), StandardCharsets.UTF_8);
        deleteTree(partsDir);
        try (Stream<Path> rest = Files.list(partsDir.getParent())) {
            if (rest.findAny().isEmpty()) {
                Files.delete(partsDir.getParent());
            }
        }
        return joined.frames();
    }

    /** What a part lost: the sequences from {@code from} up to (not including) {@code to}. */
    private record Damage(Path part, long from, long to) {}

    /** The joined video (in {@code partial}), its statistics lines, and what damaged parts lost. */
    private record Joined(long frames, List<String> lines, List<Damage> damage) {}

    private static Joined joinParts(Path partsDir, Path partial) throws IOException {
        List<Path> videos;
        try (Stream<Path> s = Files.list(partsDir)) {
            videos = s.filter(p -> p.getFileName().toString().endsWith(".mp4"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
        List<Mp4Concat.Part> parts = new ArrayList<>();
        List<PartLines> lines = new ArrayList<>();
        for (int k = 0; k < videos.size(); k++) {
            long bound = k + 1 < videos.size() ? firstSequence(videos.get(k + 1)) : Long.MAX_VALUE;
            PartLines read = PartLines.read(jsonlOf(videos.get(k)), bound);
            lines.add(read);
            parts.add(new Mp4Concat.Part(videos.get(k), read.lines().size()));
        }
        Files.deleteIfExists(partial);
        long[] taken = parts.isEmpty() ? new long[0] : Mp4Concat.concat(parts, partial);
        long frames = 0;
        List<String> stats = new ArrayList<>();
        List<Damage> damage = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            PartLines part = lines.get(k);
            int kept = (int) taken[k];
            stats.addAll(part.lines().subList(0, kept));
            frames += kept;
            if (kept < part.lines().size() || part.cut()) {
                long from = kept == 0 ? firstSequence(videos.get(k)) : part.sequence(kept - 1) + 1;
                long to = k + 1 < videos.size() ? firstSequence(videos.get(k + 1)) : Long.MAX_VALUE;
                if (from < to) {
                    damage.add(new Damage(videos.get(k), from, to));
                }
            }
        }
        return new Joined(frames, stats, damage);
    }

    /**
     * Writes what the damaged parts lost, made again from the topics, as repair parts (named by
     * their first sequence, so the join cuts the damaged part where its repair starts).
     *
     * @return whether anything was made again
     */
    private boolean repair(String camera, UUID session, Path partsDir, List<Damage> damage) throws IOException {
        boolean any = false;
        for (Damage d : damage) {
            List<Rebuilder.Frame> frames = rebuilder.rebuild(camera, session, d.from(), d.to());
            if (frames.isEmpty()) {
                continue;
            }
            String name = String.format("%012d", frames.get(0).sequence());
            Path video = partsDir.resolve(name + ".mp4");
            if (video.equals(d.part())) { // nothing of the part was usable: the repair takes its place
                Files.delete(d.part());
                Files.deleteIfExists(jsonlOf(d.part()));
            }
            Path repairing = partsDir.resolve(name + ".repairing");
            BufferedImage first = frames.get(0).overlay();
            try (OverlayFile f = OverlayFile.open(
                    repairing,
                    jsonlOf(video),
                    first.getWidth(),
                    first.getHeight(),
                    frames.get(0).frameRate(),
                    0,
                    session)) {
                for (Rebuilder.Frame frame : frames) {
                    f.append(frame.overlay(), frame.statsJson());
                }
            }
            Files.move(repairing, video, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn(
                    "Camera {}: part {} of the overlay was damaged (cut short by a crash or a full disk); "
                            + "{} frame(s) from {} made again from the topics",
                    camera,
                    d.part().getFileName(),
                    frames.size(),
                    d.from());
            any = true;
        }
        return any;
    }

    private static Path jsonlOf(Path video) {
        return video.resolveSibling(video.getFileName().toString().replaceFirst("\\.[^.]+$", "") + ".jsonl");
    }

    private static long firstSequence(Path part) {
        String name = part.getFileName().toString();
        return Long.parseLong(name.substring(0, name.indexOf('.')));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * The camera's directory, only for a valid camera id and only inside the output directory: a
     * record key never becomes a path outside it.
     */
    private Path cameraDir(String camera) {
        if (!CameraId.valid(camera)) {
            throw new IllegalArgumentException("camera " + CameraId.quote(camera) + " is not a camera id ("
                    + CameraId.RULE + "): nothing is written for it");
        }
        Path root = outputDir.toAbsolutePath().normalize();
        Path dir = root.resolve(camera).normalize();
        if (!dir.getParent().equals(root)) {
            throw new IllegalArgumentException(
                    "camera " + CameraId.quote(camera) + " would leave the output directory");
        }
        return dir;
    }

    private Path partsDir(String camera, UUID session) {
        return cameraDir(camera).resolve(PARTS).resolve(session.toString());
    }

    /**
     * Waits until every frame appended is in its file; the sink calls this before it commits, so a
     * committed frame is never lost with a process that dies. Safe from any thread.
     */
    public void awaitWritten() {
        for (OverlayFile f : open.values()) {
            try {
                f.awaitWritten();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the overlay " + f.video() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Closes the open files so that they play; a recorded session's parts wait for its end. */
    @Override
    public void close() {
        for (Map.Entry<String, OverlayFile> e : open.entrySet()) {
            try {
                e.getValue().close();
            } catch (IOException ex) {
                LOG.warn("Overlay {} could not be closed: {}", e.getValue().video(), ex.getMessage());
            }
        }
        open.clear();
    }
}
