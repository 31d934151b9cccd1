package io.segstream.app;

import io.segstream.runtime.Setting;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/** Where a service's /metrics and /health listen: the port differs by service, so they can share one host. */
@Command
final class MetricsOptions implements TakesSettings {

    /** Each service's port of /metrics and /health unless told another. */
    static final Map<String, Integer> DEFAULT_PORTS = Map.of("ingest", 9400, "segment", 9401, "sink", 9402);

    static final Setting<Integer> PORT = Setting.described(
            "metrics-port",
            "PORT",
            String.join(
                    ", ",
                    new TreeMap<>(DEFAULT_PORTS)
                            .entrySet().stream()
                                    .map(e -> e.getValue() + " for " + e.getKey())
                                    .toList()),
            "Port of GET /metrics (Prometheus) and GET /health; 0 = none.",
            Setting.intWithin(0, 65_535));
    static final Setting<String> ADDRESS = Setting.of(
            "metrics-address",
            "HOST",
            "0.0.0.0",
            "Address the metrics and health endpoint binds to (0.0.0.0: every interface; 127.0.0.1 keeps it on this"
                    + " host).",
            Setting::host);

    @Spec(Spec.Target.MIXEE)
    CommandSpec service;

    private Integer port;
    String address = ADDRESS.defaultOrFail();

    @Override
    public List<Setting<?>> settings() {
        return List.of(PORT, ADDRESS);
    }

    /** The default of {@code option} when it is this mixin's port (the service's), else null. */
    static String defaultValue(OptionSpec option) {
        Integer p = PORT.option().equals(option.longestName())
                ? DEFAULT_PORTS.get(option.command().name())
                : null;
        return p == null ? null : p.toString();
    }

    /** The port given, else the service's default. */
    int port() {
        return port != null ? port : DEFAULT_PORTS.getOrDefault(service.name(), 0);
    }

    /** Reads the port and the address, adding a problem for each value refused. */
    void validate(List<String> problems) {
        SettingValues values = new SettingValues(service, problems);
        port = values.find(PORT).orElse(null);
        address = values.get(ADDRESS);
    }

    InetSocketAddress on(int port) {
        return new InetSocketAddress(address, port);
    }
}
