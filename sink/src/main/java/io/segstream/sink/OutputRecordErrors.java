package io.segstream.sink;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's production exception handler: an output record the broker or the serializer refuses
 * for what it holds (too large, a timestamp out of the broker's range, not serializable) is one
 * line and is left out; the stream thread goes on. No input record can thus shut the sink down
 * through its outputs. Any other error (the broker gone, fenced, not authorised) fails as usual.
 */
public final class OutputRecordErrors implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(OutputRecordErrors.class);
    private static final AtomicLong DROPPED = new AtomicLong();

    @Override
    public Response handleError(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RecordTooLargeException || exception instanceof InvalidTimestampException) {
            return dropped(context, record, exception);
        }
        return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        if (exception instanceof RuntimeException) { // a SerializationException among them
            return dropped(context, record, exception);
        }
        return Response.fail();
    }

    private static Response dropped(ErrorHandlerContext context, ProducerRecord<?, ?> record, Exception e) {
        long n = DROPPED.incrementAndGet();
        if (n <= 20 || n % 1000 == 0) {
            LOG.error(
                    "Output record to {} (timestamp {}) is left out ({} so far), made from input {}-{}@{}: {}",
                    record.topic(),
                    record.timestamp(),
                    n,
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    e.toString());
        }
        return Response.resume();
    }

    @Override
    public void configure(Map<String, ?> configs) {}
}
