package io.segstream.sink.topology;

import io.segstream.protocol.WireHeaders;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** The frame-stats records: each frame's JSON with its mask headers, each session's end-of-stream record with its summary. */
final class FrameStatsRecords implements Processor<String, StatsEvent, String, String> {

    private ProcessorContext<String, String> context;

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, StatsEvent> record) {
        RecordHeaders headers = new RecordHeaders();
        String json;
        if (record.value() instanceof StatsEvent.FrameDone f) {
            WireHeaders.writeFrameStats(headers, record.key(), f.mask());
            json = f.json();
        } else {
            StatsEvent.SessionDone d = (StatsEvent.SessionDone) record.value();
            WireHeaders.writeStatsEndOfStream(headers, record.key(), d.endOfStream());
            json = d.json();
        }
        context.forward(new Record<>(record.key(), json, record.timestamp(), headers));
    }
}
