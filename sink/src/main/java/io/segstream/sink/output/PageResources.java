package io.segstream.sink.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** What the sink's pages are made of: their templates and uPlot, from its WebJar (org.webjars.npm:uplot). */
public final class PageResources {

    private static final String UPLOT =
            "META-INF/resources/webjars/uplot/" + webJarVersion("org.webjars.npm", "uplot") + "/dist/";

    private PageResources() {}

    /** uPlot's script (the build that defines the global {@code uPlot}). */
    public static byte[] uplotJs() {
        return bytes(UPLOT + "uPlot.iife.min.js");
    }

    /** uPlot's style sheet. */
    public static byte[] uplotCss() {
        return bytes(UPLOT + "uPlot.min.css");
    }

    /** The version of a WebJar on the class path (sink's pom names it once). */
    static String webJarVersion(String group, String artifact) {
        String props = text("META-INF/maven/" + group + "/" + artifact + "/pom.properties");
        for (String line : props.split("\n")) {
            if (line.startsWith("version=")) {
                return line.substring("version=".length()).strip();
            }
        }
        throw new IllegalStateException("no version in the pom.properties of " + group + ":" + artifact);
    }

    /** A resource of the class path as UTF-8 text. */
    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** A resource of the class path; an error naming it when it is missing. */
    public static byte[] bytes(String name) {
        try (InputStream in = PageResources.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the resource " + name + " is not on the class path (the uPlot WebJar missing?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
