package io.segstream.protocol;

import java.util.List;
import java.util.Optional;

/** The classes a model predicts, indexed by their id (ids are 0..n-1). */
public record Taxonomy(String name, List<SegmentationClass> classes) {

    public Taxonomy {
        classes = List.copyOf(classes);
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).id() != i) {
                throw new IllegalArgumentException("taxonomy " + name + ": class at index " + i + " has id " + classes.get(i).id());
            }
        }
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
