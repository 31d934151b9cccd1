package io.segstream.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.segstream.sink.view.LiveBoard;
import io.segstream.sink.view.LiveView;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the sink's live view listens, and the address other instances and browsers reach it at. */
final class ViewOptions {

    private static final String HOST = "[A-Za-z0-9.:\\[\\]%-]{1,253}";

    @Option(names = "--view-port", paramLabel = "PORT")
    Integer port;

    @Option(names = "--view-address", defaultValue = "127.0.0.1", paramLabel = "HOST")
    String address;

    @Option(names = "--view-advertised", paramLabel = "HOST[:PORT]")
    Optional<String> advertised = Optional.empty();

    @Option(names = "--view-max-fps", defaultValue = "10", paramLabel = "FPS")
    double maxFps = LiveView.DEFAULT_MAX_FPS;

    /** No view (a run inside another command). */
    static ViewOptions none() {
        ViewOptions v = new ViewOptions();
        v.port = 0;
        v.address = "127.0.0.1";
        return v;
    }

    /** Adds the problems with the options. */
    void validate(List<String> problems) {
        if (port != null && (port < 0 || port > 65535)) {
            problems.add("--view-port must be 0-65535, got " + port);
        }
        if (!(maxFps > 0 && maxFps <= 120)) {
            problems.add("--view-max-fps must be more than 0 and at most 120, got " + maxFps);
        }
        if (!address.matches(HOST)) {
            problems.add("--view-address must be a host name or IP address, got '" + address + "'");
        }
        advertised.ifPresent(a -> {
            if (!a.matches(HOST) || advertisedPort(a) > 65535) {
                problems.add(
                        "--view-advertised must be HOST or HOST:PORT (an IPv6 address in brackets), got '" + a + "'");
            }
        });
    }

    /**
     * Starts the view of {@code board}, or none when the port is 0; with {@code anyPortWhenTaken}, a
     * taken port gives way to any free one (the URL is printed either way).
     */
    Optional<LiveView> start(
            int defaultPort, boolean anyPortWhenTaken, LiveBoard board, MeterRegistry registry, double alpha)
            throws IOException {
        int p = port != null ? port : defaultPort;
        if (p == 0) {
            return Optional.empty();
        }
        String host = advertised.map(ViewOptions::advertisedHost).orElse(wildcard() ? localName() : null);
        int advertisedPort = advertised.map(ViewOptions::advertisedPort).orElse(0);
        try {
            return Optional.of(new LiveView(
                    new InetSocketAddress(address, p), host, advertisedPort, board, registry, alpha, maxFps));
        } catch (BindException taken) {
            if (!anyPortWhenTaken) {
                throw new BindException("the live view's port " + p + " on " + address
                        + " is taken: choose another with " + "--view-port, or 0 for no view");
            }
            return Optional.of(new LiveView(
                    new InetSocketAddress(address, 0), host, advertisedPort, board, registry, alpha, maxFps));
        }
    }

    private boolean wildcard() {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
    }

    private static String localName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String advertisedHost(String a) {
        int colon = a.lastIndexOf(':');
        return colon > 0 && a.substring(colon + 1).matches("\\d{1,5}") && !a.endsWith("]") ? a.substring(0, colon) : a;
    }

    private static int advertisedPort(String a) {
        String host = advertisedHost(a);
        return host.length() == a.length() ? 0 : Integer.parseInt(a.substring(host.length() + 1));
    }
}
