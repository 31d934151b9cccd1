package io.segstream.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real model, clips and labelled frames in ../shared/assets, found through the system
 * property {@code segstream.assets} (the build sets it; default ../shared/assets). When
 * {@code segstream.assets.required} is true (as in CI) a missing asset fails the test;
 * otherwise the test is skipped with a message saying where to get the assets.
 */
public final class Assets {

    public static final String SAVED_MODEL = "models/deeplab_edgetpu_slim_cityscapes_savedmodel";
    public static final String FROZEN_GRAPH = "models/deeplab_edgetpu_slim_cityscapes_frozen.pb";
    public static final String DRIVING_CLIP = "video/udacity_vehicle_detection_test_video.mp4";
    /** DeepLab's export_model.py export: 5 classes, a fixed 513x1025 crop, int32 labels. */
    public static final String SIGNATE_GRAPH = "models/signate_deeplabv3plus_mnv3_frozen.pb";
    /** MLPerf Mobile's DeepLabv3+ with decoder, 32 ADE20K classes. */
    public static final String ADE_SAVED_MODEL = "models/deeplabv3plus_mnv2_ade20k32_savedmodel";

    public static final String ADE_FROZEN_GRAPH = "models/deeplabv3plus_mnv2_ade20k32_frozen.pb";
    /** The project's model descriptors for those two (in descriptors/ of this repository). */
    public static final String SIGNATE_DESCRIPTOR = "descriptors/signate_deeplabv3plus_mnv3.yaml";

    public static final String ADE_DESCRIPTOR = "descriptors/deeplabv3plus_mnv2_ade20k32.yaml";

    private Assets() {}

    public static Path root() {
        return Path.of(System.getProperty("segstream.assets", "../shared/assets"))
                .toAbsolutePath()
                .normalize();
    }

    /** A file of this repository, by its path from the repository root. */
    public static Path project(String relative) {
        Path p = Path.of(System.getProperty("segstream.root", ".."))
                .resolve(relative)
                .toAbsolutePath()
                .normalize();
        Assertions.assertTrue(Files.exists(p), "project file " + p + " is missing");
        return p;
    }

    /** The asset at a path relative to the assets root; fails or skips the test when it is missing. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            String message =
                    "test asset " + p + " is missing. The assets (the DeepLab Cityscapes model, the driving clip) "
                            + "live in ../shared/assets beside the project (see its MANIFEST.md); point -Dsegstream.assets=DIR at a copy.";
            if (Boolean.getBoolean("segstream.assets.required")) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return p;
    }
}
