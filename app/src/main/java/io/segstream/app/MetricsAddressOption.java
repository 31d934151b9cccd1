package io.segstream.app;

import java.net.InetSocketAddress;
import java.util.List;
import picocli.CommandLine.Option;

/** Where a service's /metrics and /health listen. */
final class MetricsAddressOption {

    @Option(names = "--metrics-address", defaultValue = "0.0.0.0", paramLabel = "HOST",
            description = "Address the metrics and health endpoint binds to (default: ${DEFAULT-VALUE}, every interface; "
                    + "127.0.0.1 keeps it on this host).")
    String address;

    void validate(List<String> problems) {
        if (address.isBlank() || address.length() > 253 || !address.matches("[A-Za-z0-9.:\\[\\]%-]+")) {
            problems.add("--metrics-address must be a host name or IP address, got '" + address + "'");
        }
    }

    InetSocketAddress on(int port) {
        return new InetSocketAddress(address, port);
    }
}
