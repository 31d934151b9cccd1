package io.segstream.protocol;

import java.awt.Color;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The classes a model predicts, indexed by their id (ids are 0..n-1). */
public record Taxonomy(String name, List<SegmentationClass> classes) {

    public Taxonomy {
        classes = List.copyOf(classes);
        if (classes.isEmpty() || classes.size() > MAX_CLASSES) {
            throw new IllegalArgumentException(
                    "taxonomy " + name + " has " + classes.size() + " classes; 1.." + MAX_CLASSES + " fit in a mask");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < classes.size(); i++) {
            if (!names.add(classes.get(i).name())) {
                throw new IllegalArgumentException(
                        "taxonomy " + name + ": class name '" + classes.get(i).name() + "' appears twice");
            }
            if (classes.get(i).id() != i) {
                throw new IllegalArgumentException("taxonomy " + name + ": class at index " + i + " has id "
                        + classes.get(i).id());
            }
        }
    }

    /** The most classes a mask byte can hold (ids 0..254; 255 is left for "no class"). */
    public static final int MAX_CLASSES = 255;

    /**
     * Neutral names and colours for a model whose class list is not known: {@code class 0} ...
     * {@code class n-1}, with hues spread evenly around the colour wheel.
     */
    public static Taxonomy neutral(int classes) {
        if (classes < 1 || classes > MAX_CLASSES) {
            throw new IllegalArgumentException("a taxonomy has 1.." + MAX_CLASSES + " classes, got " + classes);
        }
        List<SegmentationClass> list = new ArrayList<>(classes);
        for (int i = 0; i < classes; i++) {
            float hue = (i * 0.618034f) % 1f;
            int rgb = Color.HSBtoRGB(hue, i % 2 == 0 ? 0.85f : 0.55f, i % 3 == 0 ? 0.95f : 0.75f) & 0xFFFFFF;
            list.add(new SegmentationClass(i, "class " + i, rgb));
        }
        return new Taxonomy("neutral", list);
    }

    public int size() {
        return classes.size();
    }

    public SegmentationClass get(int id) {
        return classes.get(id);
    }

    public Optional<SegmentationClass> byName(String className) {
        return classes.stream().filter(c -> c.name().equals(className)).findFirst();
    }
}
