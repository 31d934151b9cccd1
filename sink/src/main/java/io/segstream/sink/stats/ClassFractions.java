package io.segstream.sink.stats;

import io.segstream.protocol.LabelMap;
import io.segstream.protocol.Taxonomy;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fraction of a frame's pixels in each class of the taxonomy. */
public final class ClassFractions {

    private ClassFractions() {}

    /** Class name to pixel fraction, in taxonomy order; labels outside the taxonomy count towards no class. */
    public static Map<String, Double> of(LabelMap mask, Taxonomy taxonomy) {
        long[] counts = new long[256];
        for (byte b : mask.labels()) {
            counts[b & 0xFF]++;
        }
        double total = mask.labels().length;
        Map<String, Double> fractions = new LinkedHashMap<>();
        for (int id = 0; id < taxonomy.size(); id++) {
            fractions.put(taxonomy.get(id).name(), counts[id] / total);
        }
        return fractions;
    }
}
