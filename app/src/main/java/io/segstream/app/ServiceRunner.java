package io.segstream.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.segstream.app.http.HttpEndpoint;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The skeleton the service commands ({@code ingest}, {@code segment}, {@code sink}) share: options
 * refused with one line each, the {@code /metrics} and {@code /health} endpoint, a shutdown hook that
 * stops the service cleanly on SIGTERM or Ctrl-C, and the exit code.
 */
final class ServiceRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);

    /** A service as the runner drives it. */
    interface Service {

        /**
         * Runs the service until it ends by itself or {@link #stop()} ends it; prints why it failed,
         * if it did, and returns how it ended.
         */
        ExitCode run() throws Exception;

        /** Called from the shutdown hook: ends {@link #run()} cleanly, finishing what was accepted. */
        void stop();

        /** What {@code /health} answers now. */
        HttpEndpoint.Health health();
    }

    private final String command;

    /** @param command the command's name, which starts each line it prints ({@code segstream <command>: }) */
    ServiceRunner(String command) {
        this.command = command;
    }

    /** Prints each problem on a line of its own; the exit code of refused options. */
    int refuse(List<String> problems) {
        problems.forEach(this::print);
        return ExitCode.REFUSED.code();
    }

    /** Prints one line, prefixed with the command. */
    void print(String line) {
        System.err.println("segstream " + command + ": " + line);
    }

    /**
     * Serves {@code /metrics} from {@code registry} and {@code /health} from the service on
     * {@code metrics}' port (none when it is 0) while the service runs; the exit code it ended with.
     */
    int serve(MetricsOptions metrics, PrometheusMeterRegistry registry, Service service) throws Exception {
        int port = metrics == null ? 0 : metrics.port();
        try (AutoCloseable http =
                port == 0 ? () -> {} : new HttpEndpoint(metrics.on(port), registry, service::health)) {
            if (port != 0) {
                LOG.info("Metrics on http://{}:{}/metrics, health on /health", metrics.address, port);
            }
            Runnable stop = () -> {
                LOG.info("Stopping the {} service", command);
                service.stop();
            };
            // SIGTERM and Ctrl-C stop the service, whose run() then returns its own exit code (0 when all is well)
            Thread hook = StopSignals.onStop(stop) ? null : new Thread(stop, command + "-stop");
            if (hook != null) {
                // the JVM halts when this hook returns: stop() returns once what was accepted is finished
                Runtime.getRuntime().addShutdownHook(hook);
            }
            try {
                return service.run().code();
            } finally {
                try {
                    if (hook != null) {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    }
                } catch (IllegalStateException shuttingDown) {
                    // the hook is what ended the service
                }
            }
        }
    }
}
