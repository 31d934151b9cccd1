package io.segstream.sink.topology;

import io.segstream.sink.view.LiveBoard;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

/** Hands each frame and each session's end to the live view's board: references and counters, never a wait. */
final class ViewProcessor implements Processor<String, StatsEvent, Void, Void> {

    private final LiveBoard board;

    ViewProcessor(LiveBoard board) {
        this.board = board;
    }

    @Override
    public void process(Record<String, StatsEvent> record) {
        if (record.value() instanceof StatsEvent.FrameDone f) {
            board.frame(f.camera(), f.stats(), f.picture(), f.labels(), f.taxonomy(), f.pictureFits());
        } else if (record.value() instanceof StatsEvent.SessionDone d) {
            board.ended(d.camera(), d.endOfStream().session());
        }
    }
}
