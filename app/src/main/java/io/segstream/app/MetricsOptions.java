package io.segstream.app;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where a service's /metrics and /health listen: the port differs by service, so they can share one host. */
final class MetricsOptions {

    /** Each service's port of /metrics and /health unless told another. */
    static final Map<String, Integer> DEFAULT_PORTS = Map.of("ingest", 9400, "segment", 9401, "sink", 9402);

    static final String PORT = "--metrics-port";

    @Spec(Spec.Target.MIXEE)
    CommandSpec service;

    @Option(names = PORT, paramLabel = "PORT")
    Integer port;

    @Option(names = "--metrics-address", defaultValue = "0.0.0.0", paramLabel = "HOST")
    String address;

    /** The default of {@code option} when it is this mixin's port (shown in the help), else null. */
    static String defaultValue(OptionSpec option) {
        Integer p = PORT.equals(option.longestName())
                ? DEFAULT_PORTS.get(option.command().name())
                : null;
        return p == null ? null : p.toString();
    }

    /** The port given, else the service's default. */
    int port() {
        return port != null ? port : DEFAULT_PORTS.getOrDefault(service.name(), 0);
    }

    /** Adds the problems with the port and the address. */
    void validate(List<String> problems) {
        if (port() < 0 || port() > 65535) {
            problems.add(PORT + " must be 0-65535, got " + port());
        }
        if (address.isBlank() || address.length() > 253 || !address.matches("[A-Za-z0-9.:\\[\\]%-]+")) {
            problems.add("--metrics-address must be a host name or IP address, got '" + address + "'");
        }
    }

    InetSocketAddress on(int port) {
        return new InetSocketAddress(address, port);
    }
}
