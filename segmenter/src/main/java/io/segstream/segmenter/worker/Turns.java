package io.segstream.segmenter.worker;

import io.segstream.protocol.CameraId;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.MalformedRecordException;
import io.segstream.protocol.WireHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides, before each model call, which frames the model runs: at most one batch, chosen from all
 * buffered frames so that live cameras are served on their newest frames and recorded inputs keep
 * moving. Live frames come first; recorded frames fill the rest of the batch in the order they came.
 * While the model, at the pace of its recent rounds, would run every buffered live frame before it
 * grows older than the maximum age, live frames go in the order they came and none is skipped.
 * When it would not, the worker is behind: each live camera's newest frame goes first (the camera
 * that waited longest for an inferred frame first), then the next newest, and a camera's older
 * frames that the model does not run give way to its newer one and are answered skipped-stale at
 * once, undecoded. A model call with live frames runs no more frames than the model does in half the
 * maximum age while live cameras send, so that a frame arriving during the call is still fresh when the next one starts;
 * recorded inputs keep one place in every such call (every other one when a call runs one frame). A
 * live frame older than the maximum age is always skipped. A partition is answered in order, so from its first frame left for a later round
 * every record of it waits too; a partition waiting with recorded frames (or any, when more than
 * {@code bound} records wait) is paused, so that what is buffered stays bounded.
 */
final class Turns {

    private static final int CAMERAS_KEPT = 4096;

    private final int batch;
    private final Duration maxAge;
    private final Predicate<String> segments;
    private final int bound;
    /** The recent rounds' duration (exponentially weighted); 0 before the first. */
    private long roundNanos;
    /** Whether a recorded frame has the only place in the next one-frame model call that live frames also want. */
    private boolean recordedsTurn;
    /** The recent rounds' time per frame the model ran (exponentially weighted); 0 before the first. */
    private long frameNanos;
    /** When each live camera last had a frame inferred; the least recent forgotten beyond {@link #CAMERAS_KEPT}. */
    private final Map<String, Long> servedAt = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > CAMERAS_KEPT;
        }
    };

    /**
     * @param batch    frames the model runs in one call
     * @param maxAge   a live frame older than this is skipped; zero never skips
     * @param segments the cameras this worker segments (the others' records are answered with nothing)
     * @param bound    records left buffered beyond which every partition with records waiting is paused
     */
    Turns(int batch, Duration maxAge, Predicate<String> segments, int bound) {
        this.batch = batch;
        this.maxAge = maxAge;
        this.segments = segments;
        this.bound = bound;
    }

    /** What a buffered record is to the planning: STALE is a live frame older than the maximum age. */
    private enum Kind {
        OTHER,
        LIVE,
        STALE,
        RECORDED
    }

    /** Live cameras count as sending until none of their frames came for this long. */
    private static final Duration LIVE_QUIET = Duration.ofSeconds(5);
    /** When a live frame was last buffered; 0: never. */
    private long liveSeenNanos;

    private record Candidate(int index, int rank, long servedAt, long deadlineMicros) {}

    Round plan(List<ConsumerRecord<String, byte[]>> buffered) {
        int n = buffered.size();
        Kind[] kinds = new Kind[n];
        Map<String, Integer> newer = new HashMap<>();
        List<Candidate> live = new ArrayList<>();
        List<Integer> recorded = new ArrayList<>();
        long nowNanos = System.nanoTime();
        for (int i = n - 1; i >= 0; i--) {
            kinds[i] = kind(buffered.get(i));
            if (kinds[i] == Kind.LIVE || kinds[i] == Kind.STALE) {
                liveSeenNanos = nowNanos;
            }
            if (kinds[i] == Kind.LIVE) {
                String camera = buffered.get(i).key();
                int rank = newer.merge(camera, 1, Integer::sum) - 1;
                live.add(candidate(buffered.get(i), i, rank));
            } else if (kinds[i] == Kind.RECORDED) {
                recorded.add(0, i);
            }
        }
        boolean liveSending = liveSeenNanos != 0 && nowNanos - liveSeenNanos < LIVE_QUIET.toNanos();
        live.sort(Comparator.comparingInt(Candidate::index));
        boolean behind = behind(live);
        if (behind) {
            live.sort(NEWEST_FIRST);
        }
        boolean[] picked = new boolean[n];
        List<Integer> picks = new ArrayList<>(batch);
        Set<String> served = new HashSet<>();
        // while live cameras send, every model call is short, even one of recorded frames alone
        int room = liveSending ? liveBatch() : batch;
        // recorded inputs keep moving: a frame of theirs in every model call,
        // or every other one when a call runs one frame
        int liveRoom = live.isEmpty() || recorded.isEmpty() ? room : room > 1 ? room - 1 : recordedsTurn ? 0 : 1;
        if (!live.isEmpty() && !recorded.isEmpty()) {
            recordedsTurn = !recordedsTurn;
        }
        for (Candidate c : live) {
            if (liveRoom > 0) {
                liveRoom--;
                picked[c.index()] = true;
                picks.add(c.index());
                if (behind) {
                    served.add(buffered.get(c.index()).key());
                }
                room--;
            }
        }
        for (int i : recorded) {
            if (room > 0) {
                picked[i] = true;
                picks.add(i);
                room--;
            }
        }
        return round(buffered, kinds, picked, picks, served);
    }

    /**
     * The round of the frames picked: they and the frames answered without the model (other records,
     * stale frames, the older frames of a live camera served) now, in a partition's order; the rest
     * later, their partitions waiting (recorded ones paused).
     */
    private Round round(
            List<ConsumerRecord<String, byte[]>> buffered,
            Kind[] kinds,
            boolean[] picked,
            List<Integer> picks,
            Set<String> served) {
        int n = buffered.size();
        List<ConsumerRecord<String, byte[]>> now = new ArrayList<>(n);
        List<ConsumerRecord<String, byte[]>> later = new ArrayList<>();
        Set<ConsumerRecord<String, byte[]>> superseded = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<TopicPartition> waiting = new HashSet<>();
        Set<TopicPartition> pause = new HashSet<>();
        int[] placeInNow = new int[n];
        Arrays.fill(placeInNow, -1);
        for (int i = 0; i < n; i++) {
            ConsumerRecord<String, byte[]> r = buffered.get(i);
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            boolean answerNow = !waiting.contains(tp)
                    && switch (kinds[i]) {
                        case OTHER, STALE -> true;
                        case LIVE -> picked[i] || served.contains(r.key());
                        case RECORDED -> picked[i];
                    };
            if (answerNow) {
                placeInNow[i] = now.size();
                now.add(r);
                if (kinds[i] == Kind.LIVE && !picked[i]) {
                    superseded.add(r);
                }
            } else {
                later.add(r);
                waiting.add(tp);
                if (kinds[i] == Kind.RECORDED) {
                    pause.add(tp);
                }
            }
        }
        return new Round(
                now, order(now.size(), picks, placeInNow), superseded, later, later.size() > bound ? waiting : pause);
    }

    /** The frames the model runs take their turns first, in the order picked; the rest as they came. */
    private static List<Integer> order(int size, List<Integer> picks, int[] placeInNow) {
        List<Integer> order = new ArrayList<>(size);
        boolean[] first = new boolean[size];
        for (int i : picks) {
            if (placeInNow[i] >= 0) { // a pick behind a frame left for later waits with it
                order.add(placeInNow[i]);
                first[placeInNow[i]] = true;
            }
        }
        for (int k = 0; k < size; k++) {
            if (!first[k]) {
                order.add(k);
            }
        }
        return order;
    }

    private static final Comparator<Candidate> NEWEST_FIRST = Comparator.comparingInt(Candidate::rank)
            .thenComparingLong(Candidate::servedAt)
            .thenComparingInt(Candidate::index);

    private Candidate candidate(ConsumerRecord<String, byte[]> r, int index, int rank) {
        long capture = WireHeaders.readFrame(r.headers()).captureMicros();
        long ageMicros = maxAge.toNanos() / 1000;
        // a foreign producer's capture time may be anything: the deadline saturates instead of wrapping
        long deadline = capture > Long.MAX_VALUE - ageMicros ? Long.MAX_VALUE : capture + ageMicros;
        return new Candidate(index, rank, servedAt.getOrDefault(r.key(), Long.MIN_VALUE), deadline);
    }

    /**
     * Whether the live frames, taken in the order they came at the recent rounds' pace, would not
     * all start before their maximum age.
     */
    private boolean behind(List<Candidate> inOrder) {
        if (maxAge.isZero()) {
            return false;
        }
        long now = nowMicros();
        for (int p = 0; p < inOrder.size(); p++) {
            long start = now + (p / liveBatch()) * roundNanos / 1000;
            if (start > inOrder.get(p).deadlineMicros()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Frames in one model call with live frames: what the model runs in half the maximum age (1 to
     * the batch size), so that a frame arriving during the call is still fresh for the next.
     */
    private int liveBatch() {
        if (frameNanos == 0) {
            return batch;
        }
        return (int) Math.max(1, Math.min(batch, maxAge.toNanos() / 2 / frameNanos));
    }

    /** Notes how long a round that ran the model on {@code frames} frames took: the pace the next rounds are planned at. */
    void roundTook(long nanos, int frames) {
        roundNanos = roundNanos == 0 ? nanos : (7 * roundNanos + 3 * nanos) / 10;
        long perFrame = nanos / Math.max(1, frames);
        frameNanos = frameNanos == 0 ? perFrame : (7 * frameNanos + 3 * perFrame) / 10;
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    /** Notes that the model ran a frame of this live camera. */
    void served(String camera) {
        servedAt.put(camera, System.nanoTime());
    }

    /** Whether a frame is live and older than the maximum age. */
    boolean tooOld(FrameMeta meta) {
        if (!meta.live() || maxAge.isZero()) {
            return false;
        }
        // compared without subtracting the capture time, which may be anything a producer wrote
        return meta.captureMicros() < nowMicros() - maxAge.toNanos() / 1000;
    }

    /** LIVE: a live frame the model could run; STALE: one too old; RECORDED: a recorded frame; OTHER: the rest. */
    private Kind kind(ConsumerRecord<String, byte[]> r) {
        if (!CameraId.valid(r.key()) || !segments.test(r.key())) {
            return Kind.OTHER;
        }
        try {
            if (WireHeaders.isEndOfStream(r.headers())) {
                return Kind.OTHER;
            }
            FrameMeta meta = WireHeaders.readFrame(r.headers());
            return !meta.live() ? Kind.RECORDED : tooOld(meta) ? Kind.STALE : Kind.LIVE;
        } catch (MalformedRecordException e) {
            return Kind.OTHER; // answered in its turn with its failure
        }
    }
}
