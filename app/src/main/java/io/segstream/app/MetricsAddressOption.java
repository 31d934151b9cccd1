package io.segstream.app;

import java.net.InetSocketAddress;
import java.util.List;
import picocli.CommandLine.Option;

/** Where a service's /metrics and /health listen. */
final class MetricsAddressOption {

    @Option(
            names = "--metrics-address",
            defaultValue = "0.0.0.0",
            paramLabel = "HOST",
            description =
                    "Address the metrics and health endpoint binds to (default: ${DEFAULT-VALUE}, every interface; "
                            + "127.0.0.1 keeps it on this host).")
    String address;

    /** Adds the problems with the address and with {@code port}, the service's --metrics-port. */
    void validate(List<String> problems, int port) {
        if (port < 0 || port > 65535) {
            problems.add("--metrics-port must be 0-65535, got " + port);
        }
        if (address.isBlank() || address.length() > 253 || !address.matches("[A-Za-z0-9.:\\[\\]%-]+")) {
            problems.add("--metrics-address must be a host name or IP address, got '" + address + "'");
        }
    }

    InetSocketAddress on(int port) {
        return new InetSocketAddress(address, port);
    }
}
