package io.segstream.sink.view;

import io.segstream.runtime.Setting;
import java.util.regex.Pattern;

/** Where the live view listens, how browsers reach it and how often it renders. */
public final class ViewSettings {

    private ViewSettings() {}

    public static final Setting<Integer> VIEW_PORT = Setting.described(
            "view-port",
            "PORT",
            "9403 for sink, 8090 for run, which takes any free port when 8090 is taken",
            "Port of the live view (web UI of the cameras); 0 = none.",
            Setting.intWithin(0, 65_535));
    public static final Setting<String> VIEW_ADDRESS = Setting.of(
            "view-address",
            "HOST",
            "127.0.0.1",
            "Address the live view binds to (127.0.0.1: this host only; 0.0.0.0: every interface).",
            Setting::host);
    public static final Setting<String> VIEW_ADVERTISED = Setting.described(
            "view-advertised",
            "HOST[:PORT]",
            "the bound address, or this host's name when bound to every interface",
            "Where browsers and the other sink instances reach this one's view.",
            Setting.matching(
                    Pattern.compile("[A-Za-z0-9.:\\[\\]%-]{1,253}"),
                    "HOST or HOST:PORT (an IPv6 address in brackets)"));
    public static final Setting<Double> VIEW_MAX_FPS = Setting.of(
            "view-max-fps",
            "FPS",
            "10",
            "Frames per second per camera the live view renders at most, whatever its viewers ask.",
            Setting.numberWithin(0, true, 120));
}
