package io.segstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.segstream.testkit.Browser;
import io.segstream.testkit.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Opens a report.html from disk in headless Chromium and checks what a reader would see. */
final class ReportPage {

    private ReportPage() {}

    /**
     * Asserts that the page plays its video for {@code duration}, shows the summary of
     * {@code frames} frames and plots data in every chart, without a console error; saves a
     * screenshot to {@code screenshot}.
     */
    static void check(Path report, Duration duration, long frames, Path screenshot) throws Exception {
        try (Browser browser = Browser.start()) {
            browser.driver().get(report.toUri().toString());
            Eventually.await(
                    "the video's metadata",
                    Duration.ofSeconds(30),
                    () -> ((Number) browser.eval("return document.getElementById('video').readyState;")).intValue()
                            >= 1);
            double seconds = ((Number) browser.eval("return document.getElementById('video').duration;")).doubleValue();
            assertThat(seconds)
                    .as("the video plays for the input's duration")
                    .isCloseTo(duration.toMillis() / 1000.0, offset(0.1));
            browser.eval("var v = document.getElementById('video'); v.currentTime = v.duration / 2;");

            @SuppressWarnings("unchecked")
            List<Map<String, Object>> charts =
                    (List<Map<String, Object>>) browser.eval("return window.segstreamReport.charts;");
            assertThat(charts)
                    .extracting(c -> c.get("id"))
                    .containsExactly("chart-classes", "chart-driving", "chart-latency");
            assertThat(charts)
                    .allSatisfy(c -> assertThat(((Number) c.get("points")).longValue())
                            .as("points in %s", c.get("id"))
                            .isGreaterThanOrEqualTo(frames));
            Long canvases = (Long) browser.eval("return document.querySelectorAll('.chart canvas').length;");
            assertThat(canvases).isEqualTo(3);
            String frameRows = (String) browser.eval("return document.getElementById('frames').innerText;");
            assertThat(frameRows).contains("frames\t" + frames).contains("ok\t" + frames);
            String classRows = (String) browser.eval("return document.getElementById('classes').innerText;");
            assertThat(classRows).contains("road");
            browser.fullPageScreenshot(screenshot);
            assertThat(browser.consoleErrors()).as("console errors").isEmpty();
        }
    }
}
