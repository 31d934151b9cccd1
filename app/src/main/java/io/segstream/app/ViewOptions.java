package io.segstream.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.segstream.runtime.Setting;
import io.segstream.sink.view.LiveBoard;
import io.segstream.sink.view.LiveView;
import io.segstream.sink.view.ViewSettings;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Where the sink's live view listens, and the address other instances and browsers reach it at. */
@Command
final class ViewOptions implements TakesSettings {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    Integer port;
    String address = ViewSettings.VIEW_ADDRESS.defaultOrFail();
    Optional<String> advertised = Optional.empty();
    double maxFps = ViewSettings.VIEW_MAX_FPS.defaultOrFail();

    @Override
    public List<Setting<?>> settings() {
        return List.of(
                ViewSettings.VIEW_PORT,
                ViewSettings.VIEW_ADDRESS,
                ViewSettings.VIEW_ADVERTISED,
                ViewSettings.VIEW_MAX_FPS);
    }

    /** No view (a run inside another command). */
    static ViewOptions none() {
        ViewOptions v = new ViewOptions();
        v.port = 0;
        v.address = "127.0.0.1";
        return v;
    }

    /** Adds the problems with the options. */
    void validate(List<String> problems) {
        SettingValues values = new SettingValues(command, problems);
        port = values.find(ViewSettings.VIEW_PORT).orElse(null);
        address = values.get(ViewSettings.VIEW_ADDRESS);
        advertised = values.find(ViewSettings.VIEW_ADVERTISED);
        maxFps = values.get(ViewSettings.VIEW_MAX_FPS);
        advertised.ifPresent(a -> {
            if (advertisedPort(a) > 65535) {
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
