package io.segstream.sink.topology;

import io.segstream.protocol.EndOfStream;
import io.segstream.protocol.FrameMeta;
import io.segstream.protocol.MaskMeta;
import io.segstream.protocol.WireHeaders;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Joins frames and masks on (camera, session, sequence). Both topics feed this processor (they
 * are co-partitioned); each side waits in a state store until its partner arrives, and joined
 * frames are handed on strictly in sequence order. A record whose sequence was already handed on
 * is a re-delivery and is dropped. When the session's end-of-stream has arrived and every frame
 * before it has been handed on, an {@link SinkEvent.Ended} follows.
 */
final class FrameMaskJoiner implements Processor<String, byte[], String, SinkEvent> {

    static final String FRAMES_STORE = "pending-frames";
    static final String MASKS_STORE = "pending-masks";
    static final String SESSIONS_STORE = "sessions";

    private final String framesTopic;
    private ProcessorContext<String, SinkEvent> context;
    private KeyValueStore<String, byte[]> frames;
    private KeyValueStore<String, byte[]> masks;
    private KeyValueStore<String, byte[]> sessions;

    FrameMaskJoiner(String framesTopic) {
        this.framesTopic = framesTopic;
    }

    @Override
    public void init(ProcessorContext<String, SinkEvent> context) {
        this.context = context;
        this.frames = context.getStateStore(FRAMES_STORE);
        this.masks = context.getStateStore(MASKS_STORE);
        this.sessions = context.getStateStore(SESSIONS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String camera = record.key();
        boolean fromFrames = context.recordMetadata().map(m -> m.topic().equals(framesTopic)).orElse(true);
        if (WireHeaders.isEndOfStream(record.headers())) {
            EndOfStream eos = WireHeaders.readEndOfStream(record.headers());
            Progress p = progress(camera, eos.session());
            saveProgress(camera, eos.session(), new Progress(p.next(), eos.frameCount(), p.announced()));
            emitReady(camera, eos.session());
            return;
        }
        FrameMeta meta = WireHeaders.readFrame(record.headers());
        Progress p = progress(camera, meta.session());
        if (meta.sequence() < p.next()) {
            return; // a re-delivery of something already handed on
        }
        byte[] stored = new StoredRecord(record.timestamp(), record.headers(), record.value()).toBytes();
        (fromFrames ? frames : masks).put(itemKey(camera, meta.session(), meta.sequence()), stored);
        emitReady(camera, meta.session());
    }

    private void emitReady(String camera, UUID session) {
        Progress p = progress(camera, session);
        long next = p.next();
        while (!p.complete(next)) {
            String key = itemKey(camera, session, next);
            byte[] f = frames.get(key);
            byte[] m = masks.get(key);
            if (f == null || m == null) {
                break;
            }
            StoredRecord frame = StoredRecord.fromBytes(f);
            StoredRecord mask = StoredRecord.fromBytes(m);
            MaskMeta maskMeta = WireHeaders.readMask(mask.headers());
            SinkEvent joined = new SinkEvent.Joined(camera, WireHeaders.readFrame(frame.headers()), frame.value(),
                    frame.timestamp(), maskMeta, mask.value(), mask.timestamp());
            context.forward(new Record<>(camera, joined, Math.max(frame.timestamp(), mask.timestamp())));
            frames.delete(key);
            masks.delete(key);
            next++;
        }
        Progress updated = new Progress(next, p.endOfStream(), p.announced());
        if (updated.complete(next) && !updated.announced()) {
            context.forward(new Record<>(camera, new SinkEvent.Ended(camera, new EndOfStream(session, next)),
                    context.currentSystemTimeMs()));
            updated = new Progress(next, p.endOfStream(), true);
        }
        if (!updated.equals(p)) {
            saveProgress(camera, session, updated);
        }
    }

    private Progress progress(String camera, UUID session) {
        byte[] b = sessions.get(sessionKey(camera, session));
        if (b == null) {
            return new Progress(0, -1, false);
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        return new Progress(buf.getLong(), buf.getLong(), buf.get() == 1);
    }

    private void saveProgress(String camera, UUID session, Progress p) {
        sessions.put(sessionKey(camera, session), ByteBuffer.allocate(17)
                .putLong(p.next()).putLong(p.endOfStream()).put((byte) (p.announced() ? 1 : 0)).array());
    }

    private static String sessionKey(String camera, UUID session) {
        return camera + '/' + session;
    }

    private static String itemKey(String camera, UUID session, long sequence) {
        return String.format("%s/%s/%019d", camera, session, sequence);
    }

    /**
     * @param next        the next sequence to hand on
     * @param endOfStream the session's frame count once its end-of-stream arrived, -1 before
     * @param announced   whether the session's end has been handed on
     */
    private record Progress(long next, long endOfStream, boolean announced) {

        boolean complete(long sequence) {
            return endOfStream >= 0 && sequence >= endOfStream;
        }
    }
}
