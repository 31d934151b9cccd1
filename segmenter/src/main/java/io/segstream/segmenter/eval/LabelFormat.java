package io.segstream.segmenter.eval;

import io.segstream.protocol.Cityscapes;
import io.segstream.protocol.DrivingGroups;
import io.segstream.protocol.SegmentationClass;
import io.segstream.protocol.Taxonomy;
import io.segstream.runtime.SmallFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How ground-truth label pictures are coded: the class each label value stands for (the list's
 * index), the value that marks pixels left out, and which of its classes are the driving groups
 * (so a model's classes can map onto them through their groups).
 *
 * @param name    the format's name, as {@code --format} takes it
 * @param classes class names by label value; the {@code ignore} value, if within, is never a truth class
 * @param ignore  the label value of pixels left out of the evaluation
 * @param groups  driving group name to the format's class names in it
 */
public record LabelFormat(String name, List<String> classes, int ignore, Map<String, Set<String>> groups) {

    /** Cityscapes' labelTrainIds: 0 road .. 18 bicycle, 255 ignored. */
    public static final LabelFormat CITYSCAPES = new LabelFormat(
            "cityscapes",
            Cityscapes.TAXONOMY.classes().stream().map(SegmentationClass::name).toList(),
            255,
            DrivingGroups.DEFAULT_NAMES);

    /** The 11 SegNet classes of CamVid, 11 (void) ignored. */
    public static final LabelFormat CAMVID = new LabelFormat(
            "camvid",
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
            Map.of(
                    "drivable", Set.of("road"),
                    "vehicles", Set.of("car"),
                    "persons", Set.of("pedestrian"),
                    "twoWheelers", Set.of("bicyclist")));

    /** ADE20K's SceneParsing annotations: value k is class k of objectInfo150 (1-150), 0 (other) ignored. */
    public static final LabelFormat ADE20K = new LabelFormat("ade20k", Ade20k.CLASSES, 0, Ade20k.GROUPS);

    /**
     * Cityscapes' 19 classes onto CamVid's 11, as ../shared/assets/MANIFEST.md maps them: road→road,
     * sidewalk→pavement, building/wall→building, fence→fence, pole→pole, traffic light/sign→sign-symbol,
     * vegetation/terrain→tree, sky→sky, person→pedestrian, rider/motorcycle/bicycle→bicyclist,
     * car/truck/bus/train→car.
     */
    static final Map<String, String> CITYSCAPES_TO_CAMVID = cityscapesToCamVid();

    /** At most this many classes in a class list file (a label value is one byte, one kept for ignore). */
    public static final int MAX_CLASSES = 255;

    public LabelFormat {
        classes = List.copyOf(classes);
        groups = Map.copyOf(groups);
    }

    /** The built-in formats by {@code --format} name; {@code labels} (a class list file) is {@link #fromClassList}. */
    public static Optional<LabelFormat> named(String name) {
        return List.of(CITYSCAPES, CAMVID, ADE20K).stream()
                .filter(f -> f.name().equals(name))
                .findFirst();
    }

    /**
     * A user's own labels: one class name per line (its label value is the line's place among the
     * class lines, from 0; blank lines and lines starting with # are not classes), at most
     * {@value #MAX_CLASSES}; groups by Cityscapes' class names where they occur.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static LabelFormat fromClassList(Path file, int ignore) {
        String text;
        try {
            text = SmallFiles.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the class list " + file + ": " + e.getMessage());
        }
        List<String> names = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            if (name.length() > SegmentationClass.MAX_NAME) {
                throw new IllegalArgumentException("class list " + file + ": class " + names.size() + " has "
                        + name.length() + " characters, at most " + SegmentationClass.MAX_NAME);
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException("class list " + file + ": '" + name + "' is listed twice");
            }
            names.add(name);
            if (names.size() > MAX_CLASSES) {
                throw new IllegalArgumentException("class list " + file + " has more than " + MAX_CLASSES + " classes");
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("class list " + file + " names no class (one name per line)");
        }
        return new LabelFormat("labels", names, ignore, DrivingGroups.DEFAULT_NAMES);
    }

    /**
     * A mapping known for a model's classes onto this format's, beyond names and groups: Cityscapes'
     * 19 onto CamVid's 11.
     */
    public Optional<Map<String, String>> knownMapping(Taxonomy model) {
        boolean cityscapes =
                model.classes().stream().map(SegmentationClass::name).toList().equals(CITYSCAPES.classes());
        return cityscapes && this.equals(CAMVID) ? Optional.of(CITYSCAPES_TO_CAMVID) : Optional.empty();
    }

    /** The label value of a class name, if the format has it (never the ignore value). */
    public Optional<Integer> id(String className) {
        int i = classes.indexOf(className);
        return i >= 0 && i != ignore ? Optional.of(i) : Optional.empty();
    }

    private static Map<String, String> cityscapesToCamVid() {
        Map<String, String> m = new LinkedHashMap<>();
        String[] camvid = {
            "road",
            "pavement",
            "building",
            "building",
            "fence",
            "pole",
            "sign-symbol",
            "sign-symbol",
            "tree",
            "tree",
            "sky",
            "pedestrian",
            "bicyclist",
            "car",
            "car",
            "car",
            "car",
            "bicyclist",
            "bicyclist"
        };
        for (int i = 0; i < camvid.length; i++) {
            m.put(Cityscapes.TAXONOMY.get(i).name(), camvid[i]);
        }
        return Map.copyOf(m);
    }
}
