package io.segstream.sink.topology;

import io.segstream.protocol.CameraId;
import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.MalformedRecordException;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.MaskStatus;
import io.segstream.protocol.ModelDescription;
import io.segstream.protocol.ModelDescriptionJson;
import io.segstream.protocol.WireHeaders;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins frames and masks on (camera, session, sequence). Both topics feed this processor (they
 * are co-partitioned); each side waits in a state store until its partner arrives, and joined
 * frames are handed on strictly in sequence order. A record whose sequence was already handed on
 * is a re-delivery and is dropped. When the session's end-of-stream has arrived and every frame
 * before it has been handed on, an {@link SinkEvent.Ended} follows.
 *
 * <p>A segmenter publishes a partition's masks in order, so a mask (or the end-of-stream it
 * forwards) that has waited longer than the mask timeout proves that the masks before it are not
 * coming: those frames are handed on with a {@code missing} mask, and a sequence whose frame never
 * arrived is handed on as {@link SinkEvent.Lost}. A slow segmenter alone never makes a mask
 * missing. The timeout counts from the later of a record's arrival and this task's start, so a
 * sink restarted after a long pause first catches up.
 *
 * <p>What waits is bounded ({@link HeldRecords.Limits}: records and bytes per camera, bytes per sink
 * instance): past a bound the oldest waiting frames are handed on early as missing, with a line
 * saying so, so no producer and no stalled segmenter can make the sink hold frames without end.
 */
final class FrameMaskJoiner implements Processor<String, byte[], String, SinkEvent> {

    static final String FRAMES_STORE = "pending-frames";
    static final String MASKS_STORE = "pending-masks";
    static final String SESSIONS_STORE = "sessions";

    /** How long an ended session is remembered, so that late re-deliveries are still recognised. */
    static final Duration ENDED_RETENTION = Duration.ofHours(1);

    /**
     * How far ahead of the next sequence to hand on a record may be: further is no healthy session
     * (about nine hours of a 30 fps camera whose segmenter is down) and is refused, so no gap
     * grows without bound.
     */
    static final long MAX_AHEAD = 1_000_000;
    /** Refused records logged one by one before only every thousandth is. */
    static final int MAX_REFUSED_LOGGED = 20;

    private static final Logger LOG = LoggerFactory.getLogger(FrameMaskJoiner.class);
    private static final StringSerializer KEYS = new StringSerializer();

    private final String framesTopic;
    private final Duration maskTimeout;
    private final HeldRecords held;
    private long evictions;
    private ProcessorContext<String, SinkEvent> context;
    private KeyValueStore<String, StoredRecord> frames;
    private KeyValueStore<String, StoredRecord> masks;
    private KeyValueStore<String, Progress> sessions;
    private long startedMs;
    private long refused;

    FrameMaskJoiner(String framesTopic, Duration maskTimeout, HeldRecords.Limits limits, HeldRecords.Budget budget) {
        this.framesTopic = framesTopic;
        this.maskTimeout = maskTimeout;
        this.held = new HeldRecords(limits, budget);
    }

    @Override
    public void init(ProcessorContext<String, SinkEvent> context) {
        this.context = context;
        this.frames = context.getStateStore(FRAMES_STORE);
        this.masks = context.getStateStore(MASKS_STORE);
        this.sessions = context.getStateStore(SESSIONS_STORE);
        this.startedMs = context.currentSystemTimeMs();
        for (KeyValueStore<String, StoredRecord> store : List.of(frames, masks)) {
            try (KeyValueIterator<String, StoredRecord> it = store.all()) {
                it.forEachRemaining(kv -> count(kv.key, kv.value, 1));
            }
        }
        long interval = Math.max(100, Math.min(1000, maskTimeout.toMillis() / 4));
        context.schedule(Duration.ofMillis(interval), PunctuationType.WALL_CLOCK_TIME, this::resolveOverdue);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        boolean fromFrames =
                context.recordMetadata().map(m -> m.topic().equals(framesTopic)).orElse(true);
        try {
            if (!fromFrames && WireHeaders.isModelDescription(record.headers())) {
                described(record);
            } else if (!CameraId.valid(record.key())) {
                refuse(
                        record,
                        "its key " + CameraId.quote(record.key()) + " is not a camera id (" + CameraId.RULE + ")");
            } else {
                join(record, fromFrames);
            }
        } catch (MalformedRecordException e) {
            refuse(record, e.getMessage());
        }
    }

    /**
     * Drops a record another producer wrote wrongly: one line naming where it is and why (for the
     * first {@link #MAX_REFUSED_LOGGED}, then every thousandth), and a count. Its offset is committed
     * with the others, so it is never read again.
     */
    private void refuse(Record<String, byte[]> record, String why) {
        refused++;
        if (refused <= MAX_REFUSED_LOGGED || refused % 1000 == 0) {
            LOG.error(
                    "Record {} is dropped ({} so far): {}",
                    context.recordMetadata()
                            .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                            .orElse("?"),
                    refused,
                    why);
        }
    }

    private void join(Record<String, byte[]> record, boolean fromFrames) {
        String camera = record.key();
        long now = context.currentSystemTimeMs();
        if (WireHeaders.isEndOfStream(record.headers())) {
            EndOfStream eos = WireHeaders.readEndOfStream(record.headers());
            if (eos.frameCount() - progress(camera, eos.session()).next() > MAX_AHEAD) {
                refuse(
                        record,
                        "camera " + camera + " session " + eos.session() + ": an end of stream after "
                                + eos.frameCount() + " frames is more than " + MAX_AHEAD
                                + " ahead of the next one expected");
                return;
            }
            Progress p = progress(camera, eos.session());
            saveProgress(
                    camera,
                    eos.session(),
                    new Progress(
                            p.next(),
                            eos.frameCount(),
                            p.announced(),
                            fromFrames ? p.masksEndedMs() : now,
                            p.endedMs()));
            emitReady(camera, eos.session());
            return;
        }
        FrameMeta meta = fromFrames
                ? WireHeaders.readFrame(record.headers())
                : WireHeaders.readMask(record.headers()).frame();
        Progress p = progress(camera, meta.session());
        if (meta.sequence() < p.next() || p.announced()) {
            return; // a re-delivery of something already handed on
        }
        if (meta.sequence() - p.next() > MAX_AHEAD) {
            refuse(
                    record,
                    "camera " + camera + " session " + meta.session() + ": sequence " + meta.sequence()
                            + " is more than " + MAX_AHEAD + " ahead of the next one expected, " + p.next());
            return;
        }
        if (p == Progress.NEW) {
            saveProgress(camera, meta.session(), p); // known from now on, so that overdue masks are found
        }
        StoredRecord stored = new StoredRecord(record.timestamp(), now, record.headers(), record.value());
        String key = itemKey(camera, meta.session(), meta.sequence());
        KeyValueStore<String, StoredRecord> store = fromFrames ? frames : masks;
        remove(store, key); // a re-delivery of one still waiting replaces it
        store.put(key, stored);
        count(key, stored, 1);
        emitReady(camera, meta.session());
        keepWithinBounds(camera);
    }

    @Override
    public void close() {
        held.release();
    }

    /**
     * Answers the oldest waiting records early while the camera, or the sink as a whole, holds more
     * than its bound: a frame waiting for its mask is handed on as missing (a mask waiting for its
     * frame, as lost), so memory stays bounded whatever a producer sends or however far behind the
     * segmenters are.
     */
    private void keepWithinBounds(String camera) {
        long answered = 0;
        String described = null;
        while (held.cameraOver(camera)) {
            described = described == null ? held.describe(camera) : described;
            if (!answerOldest(camera)) {
                break;
            }
            answered++;
        }
        while (held.totalOver()) {
            String largest = held.largestCamera().orElseThrow();
            described = described == null ? held.describe(largest) : described;
            if (!answerOldest(largest)) {
                break;
            }
            answered++;
        }
        if (answered > 0) {
            evictions++;
            if (evictions <= MAX_REFUSED_LOGGED || evictions % 1000 == 0) {
                LOG.warn(
                        "The join holds too much waiting ({}): {} waiting record(s) answered early, the oldest "
                                + "frames as missing ({} time(s) so far)",
                        described,
                        answered,
                        evictions);
            }
        }
    }

    /** Hands on everything up to and including the camera's oldest waiting record; false if none waits. */
    private boolean answerOldest(String camera) {
        Optional<String> sessionKey = held.largestSession(camera);
        if (sessionKey.isEmpty()) {
            return false;
        }
        UUID session = UUID.fromString(sessionKey.get().substring(camera.length() + 1));
        long oldest = Long.MAX_VALUE;
        for (KeyValueStore<String, StoredRecord> store : List.of(frames, masks)) {
            try (KeyValueIterator<String, StoredRecord> it = store.prefixScan(camera + '/' + session + '/', KEYS)) {
                if (it.hasNext()) {
                    oldest = Math.min(oldest, sequenceOf(it.next().key));
                }
            }
        }
        if (oldest == Long.MAX_VALUE) {
            return false;
        }
        Progress p = progress(camera, session);
        skipTo(camera, session, p, Math.max(oldest, p.next()) + 1, null);
        return true;
    }

    /** Counts a waiting record in ({@code sign} 1) or out (-1). */
    private void count(String itemKey, StoredRecord r, int sign) {
        String session = itemKey.substring(0, itemKey.lastIndexOf('/'));
        String camera = session.substring(0, session.lastIndexOf('/'));
        held.add(camera, session, r, sign);
    }

    /** Deletes a waiting record, if there is one, and counts it out. */
    private StoredRecord remove(KeyValueStore<String, StoredRecord> store, String key) {
        StoredRecord r = store.delete(key);
        if (r != null) {
            count(key, r, -1);
        }
        return r;
    }

    /** A model description on the masks topic: handed on at once, ahead of the masks that need it. */
    private void described(Record<String, byte[]> record) {
        String source = context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("masks");
        ModelDescription d;
        try {
            d = ModelDescriptionJson.read(record.value());
        } catch (MalformedRecordException e) {
            refuse(record, "a model description that does not parse: " + e.getMessage());
            return;
        }
        if (!d.model().equals(record.key())) {
            refuse(
                    record,
                    "a model description of " + CameraId.quote(d.model()) + " keyed " + CameraId.quote(record.key())
                            + " (a description is keyed by its own model id)");
            return;
        }
        context.forward(new Record<>(d.model(), new SinkEvent.Described(d, source), context.currentSystemTimeMs()));
    }

    private void emitReady(String camera, UUID session) {
        Progress p = progress(camera, session);
        long next = p.next();
        while (!p.complete(next)) {
            String key = itemKey(camera, session, next);
            StoredRecord frame = frames.get(key);
            StoredRecord mask = masks.get(key);
            if (frame == null || mask == null) {
                break;
            }
            MaskMeta maskMeta = WireHeaders.readMask(mask.headers());
            forwardJoined(camera, frame, maskMeta, mask.value(), mask.timestamp());
            remove(frames, key);
            remove(masks, key);
            next++;
        }
        saveIfChanged(camera, session, p, p.withNext(next));
    }

    private void saveIfChanged(String camera, UUID session, Progress before, Progress after) {
        Progress updated = after;
        if (updated.complete(updated.next()) && !updated.announced()) {
            long now = context.currentSystemTimeMs();
            context.forward(
                    new Record<>(camera, new SinkEvent.Ended(camera, new EndOfStream(session, updated.next())), now));
            updated = new Progress(updated.next(), updated.endOfStream(), true, updated.masksEndedMs(), now);
        }
        if (!updated.equals(before)) {
            saveProgress(camera, session, updated);
        }
    }

    private void forwardJoined(String camera, StoredRecord frame, MaskMeta mask, byte[] maskValue, long maskTimestamp) {
        SinkEvent joined = new SinkEvent.Joined(
                camera,
                WireHeaders.readFrame(frame.headers()),
                frame.value(),
                frame.timestamp(),
                mask,
                maskValue,
                maskTimestamp);
        context.forward(new Record<>(camera, joined, Math.max(frame.timestamp(), maskTimestamp)));
    }

    /** Hands on the frames whose masks are proven not to come, and forgets sessions ended long ago. */
    private void resolveOverdue(long now) {
        long horizon = now - maskTimeout.toMillis();
        List<KeyValue<String, Progress>> all = new ArrayList<>();
        try (KeyValueIterator<String, Progress> it = sessions.all()) {
            it.forEachRemaining(all::add);
        }
        for (KeyValue<String, Progress> e : all) {
            int slash = e.key.lastIndexOf('/');
            String camera = e.key.substring(0, slash);
            UUID session = UUID.fromString(e.key.substring(slash + 1));
            Progress p = e.value;
            if (p.announced()) {
                if (now - p.endedMs() > ENDED_RETENTION.toMillis()) {
                    sessions.delete(e.key);
                    deletePending(camera, session);
                }
                continue;
            }
            long proven = provenUpTo(camera, session, p, horizon);
            if (proven > p.next()) {
                skipTo(camera, session, p, proven, "did not arrive within " + maskTimeout.toMillis() + " ms");
            }
        }
    }

    /** The sequence before which every mask is proven not to come: that of the highest overdue mask. */
    private long provenUpTo(String camera, UUID session, Progress p, long horizon) {
        long proven = -1;
        if (p.masksEndedMs() >= 0 && Math.max(p.masksEndedMs(), startedMs) <= horizon) {
            proven = p.endOfStream();
        }
        try (KeyValueIterator<String, StoredRecord> it = masks.prefixScan(camera + '/' + session + '/', KEYS)) {
            while (it.hasNext()) {
                StoredRecord r = it.next().value;
                if (Math.max(r.arrivedMs(), startedMs) <= horizon) {
                    proven = Math.max(proven, WireHeaders.readFrame(r.headers()).sequence());
                }
            }
        }
        return proven;
    }

    /**
     * Hands on everything before {@code proven}: the frames held (with their masks, or as missing),
     * and each run of sequences whose frames never came as one {@link SinkEvent.Lost}. It walks the
     * frames held, not the sequences, so a gap of any size costs nothing. With a {@code why}, the
     * masks that did not come are logged (its caller logs otherwise).
     */
    private void skipTo(String camera, UUID session, Progress p, long proven, String why) {
        long next = p.next();
        long lost = 0;
        long missing = 0;
        long now = context.currentSystemTimeMs();
        List<Long> held = new ArrayList<>();
        try (KeyValueIterator<String, StoredRecord> it =
                frames.range(itemKey(camera, session, next), itemKey(camera, session, proven - 1))) {
            it.forEachRemaining(kv -> held.add(sequenceOf(kv.key)));
        }
        for (long sequence : held) {
            if (sequence > next) {
                lost += sequence - next;
                context.forward(new Record<>(camera, new SinkEvent.Lost(camera, session, next, sequence - next), now));
                deletePendingMasks(camera, session, next, sequence);
            }
            next = sequence;
            String key = itemKey(camera, session, next);
            StoredRecord frame = frames.get(key);
            StoredRecord mask = masks.get(key);
            if (mask != null) {
                forwardJoined(camera, frame, WireHeaders.readMask(mask.headers()), mask.value(), mask.timestamp());
            } else {
                missing++;
                MaskMeta none = new MaskMeta(WireHeaders.readFrame(frame.headers()), "", 0, MaskStatus.MISSING);
                forwardJoined(camera, frame, none, new byte[0], now);
            }
            remove(frames, key);
            remove(masks, key);
            next++;
        }
        if (proven > next) {
            lost += proven - next;
            context.forward(new Record<>(camera, new SinkEvent.Lost(camera, session, next, proven - next), now));
            deletePendingMasks(camera, session, next, proven);
            next = proven;
        }
        if (why != null) {
            LOG.warn(
                    "Camera {} session {}: {} mask(s) {} and {} frame(s) never arrived; moved on to sequence {}",
                    camera,
                    session,
                    missing,
                    why,
                    lost,
                    next);
        }
        saveIfChanged(camera, session, p, p.withNext(next));
        emitReady(camera, session);
    }

    /** Drops the masks held for sequences in [from, to), whose frames never came. */
    private void deletePendingMasks(String camera, UUID session, long from, long to) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, StoredRecord> it =
                masks.range(itemKey(camera, session, from), itemKey(camera, session, to - 1))) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(k -> remove(masks, k));
    }

    private static long sequenceOf(String itemKey) {
        return Long.parseLong(itemKey.substring(itemKey.lastIndexOf('/') + 1));
    }

    private void deletePending(String camera, UUID session) {
        String prefix = camera + '/' + session + '/';
        for (KeyValueStore<String, StoredRecord> store : List.of(frames, masks)) {
            List<String> keys = new ArrayList<>();
            try (KeyValueIterator<String, StoredRecord> it = store.prefixScan(prefix, KEYS)) {
                it.forEachRemaining(kv -> keys.add(kv.key));
            }
            keys.forEach(k -> remove(store, k));
        }
    }

    private Progress progress(String camera, UUID session) {
        Progress p = sessions.get(sessionKey(camera, session));
        return p == null ? Progress.NEW : p; // NEW itself, so that callers can tell
    }

    private void saveProgress(String camera, UUID session, Progress p) {
        sessions.put(sessionKey(camera, session), p);
    }

    private static String sessionKey(String camera, UUID session) {
        return camera + '/' + session;
    }

    private static String itemKey(String camera, UUID session, long sequence) {
        return String.format("%s/%s/%019d", camera, session, sequence);
    }

    /**
     * @param next         the next sequence to hand on
     * @param endOfStream  the session's frame count once an end-of-stream arrived, -1 before
     * @param announced    whether the session's end has been handed on
     * @param masksEndedMs when the end-of-stream arrived on the masks topic (wall clock), -1 before
     * @param endedMs      when the session's end was handed on (wall clock), -1 before
     */
    record Progress(long next, long endOfStream, boolean announced, long masksEndedMs, long endedMs) {

        static final Progress NEW = new Progress(0, -1, false, -1, -1);
        static final Serde<Progress> SERDE = StoreSerde.of(Progress::toBytes, Progress::fromBytes);

        boolean complete(long sequence) {
            return endOfStream >= 0 && sequence >= endOfStream;
        }

        Progress withNext(long n) {
            return new Progress(n, endOfStream, announced, masksEndedMs, endedMs);
        }

        byte[] toBytes() {
            return ByteBuffer.allocate(4 * Long.BYTES + 1)
                    .putLong(next)
                    .putLong(endOfStream)
                    .put((byte) (announced ? 1 : 0))
                    .putLong(masksEndedMs)
                    .putLong(endedMs)
                    .array();
        }

        static Progress fromBytes(byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            return new Progress(b.getLong(), b.getLong(), b.get() == 1, b.getLong(), b.getLong());
        }
    }
}
