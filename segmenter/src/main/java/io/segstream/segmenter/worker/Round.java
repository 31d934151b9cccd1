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
 * @param order      the places in {@code now} in the order they take their turns: the frames the model runs
 *                   first, in the order picked, then the others as they came
 * @param superseded those of {@code now} answered skipped-stale without being decoded: older frames
 *                   of a live camera whose newer frame the model runs this round
 * @param later      left buffered for a later round, in the order polled
 * @param pause      partitions not to fetch from until their records left for later are answered
 */
record Round(
        List<ConsumerRecord<String, byte[]>> now,
        List<Integer> order,
        Set<ConsumerRecord<String, byte[]>> superseded,
        List<ConsumerRecord<String, byte[]>> later,
        Set<TopicPartition> pause) {

    Round {
        now = List.copyOf(now);
        order = List.copyOf(order);
        Set<ConsumerRecord<String, byte[]>> same = Collections.newSetFromMap(new IdentityHashMap<>());
        same.addAll(superseded);
        superseded = Collections.unmodifiableSet(same);
        later = List.copyOf(later);
        pause = Set.copyOf(pause);
    }
}
