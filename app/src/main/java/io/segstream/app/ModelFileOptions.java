package io.segstream.app;

import io.segstream.segmenter.model.DeviceChoice;
import io.segstream.segmenter.model.SegmentationModel;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The model a command runs (--model), with how it is loaded. */
final class ModelFileOptions extends ModelOptions {

    @Option(
            names = {"-m", "--model"},
            required = true,
            paramLabel = "PATH")
    Path model;

    /** Loads --model on {@code choice}; call {@link #validate} first. */
    SegmentationModel load(DeviceChoice choice) {
        return loader(choice).load(model);
    }
}
