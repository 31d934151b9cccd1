package io.segstream.app.shadow;

import io.segstream.protocol.SegmentationClass;
import io.segstream.protocol.Taxonomy;
import io.segstream.segmenter.eval.ClassPairs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * How a candidate model's classes map onto the production model's, so their masks can be
 * compared: each candidate class to one production class, or to none (its pixels are left out).
 * The classes compared are the production classes some candidate class maps to; a pixel is
 * compared when both models put it in one of them. Without a mapping file, classes of the same
 * name map onto each other.
 */
public final class ClassMapping {

    /** Candidate class id to production class id, -1 for none. */
    private final int[] toProduction = new int[256];
    /** Production class ids that some candidate class maps to. */
    private final boolean[] common = new boolean[256];

    private final Taxonomy production;

    private ClassMapping(Taxonomy production, Taxonomy candidate, Map<String, String> byName) {
        this.production = production;
        Arrays.fill(toProduction, -1);
        byName.forEach((from, to) -> {
            int c = candidate.byName(from).map(SegmentationClass::id).orElseThrow();
            int p = production.byName(to).map(SegmentationClass::id).orElseThrow();
            toProduction[c] = p;
            common[p] = true;
        });
    }

    /** Classes of the same name map onto each other. */
    public static ClassMapping byName(Taxonomy production, Taxonomy candidate) {
        Map<String, String> same = new LinkedHashMap<>();
        candidate.classes().forEach(c -> production.byName(c.name()).ifPresent(p -> same.put(c.name(), p.name())));
        if (same.isEmpty()) {
            throw new IllegalArgumentException(
                    "the candidate's classes share no name with production's: give a mapping file "
                            + "(candidate class: production class)");
        }
        return new ClassMapping(production, candidate, same);
    }

    /**
     * Reads {@code candidate class: production class} pairs (YAML), every problem at once.
     *
     * @throws IllegalArgumentException naming every line that does not fit the two class lists
     */
    public static ClassMapping read(Path file, Taxonomy production, Taxonomy candidate) {
        Map<String, String> given = ClassPairs.read(file);
        List<String> problems = new ArrayList<>();
        Map<String, String> pairs = new LinkedHashMap<>();
        given.forEach((from, to) -> {
            if (candidate.byName(from).isEmpty()) {
                problems.add("'" + from + "' is not a class of the candidate");
            } else if (production.byName(to).isEmpty()) {
                problems.add("'" + to + "' (for '" + from + "') is not a class of production");
            } else {
                pairs.put(from, to);
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("mapping file " + file + ": " + String.join("; ", problems));
        }
        return new ClassMapping(production, candidate, pairs);
    }

    /** The production class a candidate label maps to, or -1. */
    int production(int candidateLabel) {
        return toProduction[candidateLabel];
    }

    /** Whether production's class is one the two models are compared on. */
    boolean compared(int productionLabel) {
        return common[productionLabel];
    }

    /** The names of the classes compared, in production's order. */
    public List<String> comparedClasses() {
        List<String> out = new ArrayList<>();
        for (SegmentationClass c : production.classes()) {
            if (common[c.id()]) {
                out.add(c.name());
            }
        }
        return out;
    }

    Optional<String> name(int productionLabel) {
        return productionLabel >= 0 && productionLabel < production.size()
                ? Optional.of(production.get(productionLabel).name())
                : Optional.empty();
    }

    int productionClasses() {
        return production.size();
    }

    @Override
    public String toString() {
        return new TreeSet<>(comparedClasses()).toString();
    }
}
