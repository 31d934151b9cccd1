package io.segstream.segmenter.worker;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What one round of the worker does with its buffered records (see {@link Turns}).
 *
 * @param now        answered this round, in the order polled
 * @param superseded those of {@code now} answered skipped-stale without being decoded: older frames
 *                   of a live camera whose newer frame the model runs this round
 * @param later      left buffered for a later round, in the order polled
 * @param pause      partitions not to fetch from until their records left for later are answered
 */
record Round(
        List<ConsumerRecord<String, byte[]>> now,
        Set<ConsumerRecord<String, byte[]>> superseded,
        List<ConsumerRecord<String, byte[]>> later,
        Set<TopicPartition> pause) {

    Round {
        now = List.copyOf(now);
        Set<ConsumerRecord<String, byte[]>> same = Collections.newSetFromMap(new IdentityHashMap<>());
        same.addAll(superseded);
        superseded = Collections.unmodifiableSet(same);
        later = List.copyOf(later);
        pause = Set.copyOf(pause);
    }

    /** Every record answered now, none superseded, none left: the round of a worker that is not behind. */
    static Round all(List<ConsumerRecord<String, byte[]>> records) {
        return new Round(records, Set.of(), List.of(), Set.of());
    }
}
