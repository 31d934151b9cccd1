package io.segstream.app;

import io.segstream.app.http.HttpEndpoint;
import io.segstream.broker.EmbeddedKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code segstream kafka}: a persistent single-node Kafka broker to run the services against on one machine. */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a single-node Kafka broker (KRaft, from Kafka's own jars) whose data survives restarts,",
            "for running ingest, segment and sink as separate processes on one machine without Docker.",
            "Runs until stopped (SIGTERM, Ctrl-C: a clean shutdown)."
        })
final class KafkaCommand implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "kafka-data", paramLabel = "DIR")
    Path dataDir;

    @Option(names = "--address", defaultValue = "127.0.0.1", paramLabel = "HOST")
    String address;

    @Option(names = "--port", defaultValue = "9092")
    int port;

    @Option(names = "--controller-port", defaultValue = "9093")
    int controllerPort;

    @Override
    public Integer call() throws Exception {
        ServiceRunner runner = new ServiceRunner("kafka");
        List<String> problems = new ArrayList<>();
        for (int p : new int[] {port, controllerPort}) {
            if (p < 1 || p > 65535) {
                problems.add("ports must be 1-65535, got " + p);
            }
        }
        if (port == controllerPort) {
            problems.add("--port and --controller-port must differ, both are " + port);
        }
        if (!address.matches("[A-Za-z0-9.-]{1,253}")) {
            problems.add("--address must be a host name or IPv4 address, got '" + address + "'");
        }
        if (!problems.isEmpty()) {
            return runner.refuse(problems);
        }
        EmbeddedKafka kafka;
        try {
            kafka = EmbeddedKafka.persistent(dataDir, address, port, controllerPort);
        } catch (RuntimeException e) {
            return runner.refuse(List.of("the broker did not start: " + rootMessage(e)));
        }
        runner.print("ready at " + kafka.bootstrapServers() + ", data in " + dataDir.toAbsolutePath());
        return runner.serve(null, null, new Running(kafka));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }

    /** The broker as the runner drives it: it runs until stopped. */
    private static final class Running implements ServiceRunner.Service {

        private final EmbeddedKafka kafka;
        private final CountDownLatch stopped = new CountDownLatch(1);

        Running(EmbeddedKafka kafka) {
            this.kafka = kafka;
        }

        @Override
        public ExitCode run() throws InterruptedException {
            stopped.await();
            return ExitCode.OK;
        }

        @Override
        public void stop() {
            try {
                kafka.close();
            } finally {
                stopped.countDown();
            }
        }

        @Override
        public HttpEndpoint.Health health() {
            return new HttpEndpoint.Health(true, "{\"status\":\"UP\"}");
        }
    }
}
