package io.segstream.ingest.delivery;

import java.util.List;
import org.apache.kafka.common.TopicPartition;

/** How far the segmenters are on the frames topic: the next offset they have not committed past, per partition. */
public interface Segmented {

    /** The consumer groups whose commits count (all of them must be past an offset). */
    List<String> groups();

    /** The next offset the segmenters have not committed past, as last known; does not wait. */
    long nextKnown(TopicPartition partition);

    /** As {@link #nextKnown}, fresh: may wait for the next refresh. */
    long next(TopicPartition partition) throws InterruptedException;
}
