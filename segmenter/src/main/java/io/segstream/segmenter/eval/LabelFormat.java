package io.segstream.segmenter.eval;

import io.segstream.protocol.Cityscapes;
import java.util.List;

/**
 * How ground-truth label pictures are coded, and how a Cityscapes prediction maps into them.
 * Cityscapes: labelTrainIds (0 road .. 18 bicycle, 255 ignore). CamVid: the 11 SegNet classes
 * (11 = void, ignored), with the mapping from ../shared/assets/MANIFEST.md.
 */
public enum LabelFormat {
    CITYSCAPES(Cityscapes.TAXONOMY.classes().stream().map(c -> c.name()).toList(), 255, new int[] {
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18
    }),
    CAMVID(
            List.of(
                    "sky",
                    "building",
                    "pole",
                    "road",
                    "pavement",
                    "tree",
                    "sign-symbol",
                    "fence",
                    "car",
                    "pedestrian",
                    "bicyclist"),
            11,
            // Cityscapes trainId -> CamVid: road, sidewalk, building, wall, fence, pole, traffic light, traffic sign,
            // vegetation, terrain, sky, person, rider, car, truck, bus, train, motorcycle, bicycle
            new int[] {3, 4, 1, 1, 7, 2, 6, 6, 5, 5, 0, 9, 10, 8, 8, 8, 8, 10, 10});

    private final List<String> classes;
    private final int ignore;
    private final int[] fromCityscapes;

    LabelFormat(List<String> classes, int ignore, int[] fromCityscapes) {
        this.classes = classes;
        this.ignore = ignore;
        this.fromCityscapes = fromCityscapes;
    }

    public List<String> classes() {
        return classes;
    }

    /** The label value that marks pixels left out of the evaluation. */
    public int ignore() {
        return ignore;
    }

    /** This format's class for a Cityscapes trainId; the ignore value for ids outside the taxonomy. */
    public int fromCityscapes(int trainId) {
        return trainId >= 0 && trainId < fromCityscapes.length ? fromCityscapes[trainId] : ignore;
    }
}
