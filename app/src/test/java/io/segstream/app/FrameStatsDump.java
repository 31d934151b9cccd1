package io.segstream.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.segstream.protocol.WireHeaders;
import io.segstream.runtime.Partitions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints frame-stats as a consumer reading committed records sees them, for tests whose broker only
 * containers on its network reach: run inside a segstream image with the test classes mounted
 * ({@code java -cp '/opt/segstream/*:/tests' io.segstream.app.FrameStatsDump kafka:9092 frame-stats 180 cam}).
 * One line per record: {@code frame<TAB>camera<TAB>json} or {@code end<TAB>camera<TAB>session}; it
 * stops once every camera named has ended a session, or after the given seconds.
 */
public final class FrameStatsDump {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FrameStatsDump() {}

    /** The sequences of the camera's frames in what {@link #main} printed, in order. */
    static List<Long> sequences(String printed, String camera) throws IOException {
        String prefix = "frame\t" + camera + "\t";
        List<Long> out = new ArrayList<>();
        for (String line : printed.split("\n")) {
            if (line.startsWith(prefix)) {
                out.add(JSON.readTree(line.substring(prefix.length()))
                        .get("sequence")
                        .asLong());
            }
        }
        return out;
    }

    public static void main(String[] args) {
        String bootstrap = args[0];
        String topic = args[1];
        long deadline =
                System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[2])).toNanos();
        Set<String> waiting = new HashSet<>(List.of(args).subList(3, args.length));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new StringDeserializer())) {
            Partitions.fromBeginning(c, topic);
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    if (WireHeaders.isEndOfStream(r.headers())) {
                        out.println("end\t" + r.key() + "\t"
                                + WireHeaders.readEndOfStream(r.headers()).session());
                        waiting.remove(r.key());
                    } else {
                        out.println("frame\t" + r.key() + "\t" + r.value());
                    }
                }
            }
        }
        out.flush();
        System.exit(waiting.isEmpty() ? 0 : 1);
    }
}
