package io.segstream.segmenter.eval;

import io.segstream.protocol.DrivingGroups;
import io.segstream.protocol.SegmentationClass;
import io.segstream.protocol.Taxonomy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which of a model's classes stand for which ground-truth class. Given a mapping (a
 * {@code --mapping} file, or one {@link LabelFormat#knownMapping known} for the model's classes),
 * exactly that; otherwise a model class maps onto the ground truth's class of the same name, else
 * onto the one class its driving group has in the ground truth. The ground-truth classes compared
 * are those some model class maps onto; pixels of the others are left out, and a model class that
 * maps onto nothing counts as a miss wherever the truth is a compared class.
 */
public final class ClassMatch {

    /** Model class id to ground-truth label value, -1 for none. */
    private final int[] toTruth = new int[256];

    private final boolean[] compared = new boolean[256];
    private final LabelFormat format;
    /** How each ground-truth class compared is reached: truth class to "model class (how)" lines. */
    private final Map<String, List<String>> sources = new LinkedHashMap<>();

    private String basis = "by name, else through the driving group";

    private ClassMatch(LabelFormat format) {
        this.format = format;
        Arrays.fill(toTruth, -1);
    }

    /**
     * Matches {@code model}'s classes onto {@code format}'s.
     *
     * @param pairs a mapping {@code model class: ground-truth class}, e.g. from a --mapping file
     * @throws IllegalArgumentException naming every pair whose classes the model or the format lacks
     */
    public static ClassMatch of(
            LabelFormat format, Taxonomy model, DrivingGroups groups, Optional<Map<String, String>> pairs) {
        ClassMatch m = new ClassMatch(format);
        Optional<Map<String, String>> given = pairs.or(() -> format.knownMapping(model));
        if (given.isPresent()) {
            List<String> problems = new ArrayList<>();
            given.get().forEach((from, to) -> {
                Optional<SegmentationClass> c = model.byName(from);
                Optional<Integer> t = format.id(to);
                if (c.isEmpty()) {
                    problems.add("'" + from + "' is not a class of the model");
                } else if (t.isEmpty()) {
                    problems.add("'" + to + "' (for '" + from + "') is not a class of " + format.name() + "'s labels");
                } else {
                    m.map(c.get(), t.get(), "name");
                }
            });
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            m.basis = pairs.isPresent()
                    ? "through the mapping file"
                    : "through the known mapping of Cityscapes' classes onto CamVid's";
            return m;
        }
        for (SegmentationClass c : model.classes()) {
            Optional<Integer> same = format.id(c.name());
            if (same.isPresent()) {
                m.map(c, same.get(), "name");
                continue;
            }
            for (String group : DrivingGroups.NAMES) {
                Set<String> theirs = format.groups().getOrDefault(group, Set.of());
                if (groups.get(group).contains(c.id()) && theirs.size() == 1) {
                    Optional<Integer> t = format.id(theirs.iterator().next());
                    if (t.isPresent()) {
                        m.map(c, t.get(), group);
                        break;
                    }
                }
            }
        }
        return m;
    }

    private void map(SegmentationClass modelClass, int truth, String how) {
        toTruth[modelClass.id()] = truth;
        compared[truth] = true;
        sources.computeIfAbsent(format.classes().get(truth), k -> new ArrayList<>())
                .add(modelClass.name() + (how.equals("name") ? "" : " (" + how + ")"));
    }

    /** The ground-truth label value a model class stands for, or -1. */
    public int truth(int modelLabel) {
        return toTruth[modelLabel & 0xFF];
    }

    /** Whether a ground-truth label value is a class compared. */
    public boolean compared(int truthLabel) {
        return truthLabel >= 0 && truthLabel < compared.length && compared[truthLabel] && truthLabel != format.ignore();
    }

    /** Nothing to compare: no model class maps onto a ground-truth class. */
    public boolean isEmpty() {
        return sources.isEmpty();
    }

    /** The ground-truth classes compared, in its order, each with the model classes that stand for it: {@code car ← car, truck}. */
    public List<String> comparedClasses() {
        List<String> out = new ArrayList<>();
        for (String truth : format.classes()) {
            List<String> from = sources.get(truth);
            if (from != null) {
                out.add(truth + " ← " + String.join(", ", from));
            }
        }
        return out;
    }

    /** The ground-truth classes no model class maps onto (left out of the scores). */
    public List<String> notCompared() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < format.classes().size(); i++) {
            if (i != format.ignore() && !compared[i]) {
                out.add(format.classes().get(i));
            }
        }
        return out;
    }

    /** How the classes were matched: by name and group, through a mapping file, or a known mapping. */
    public String basis() {
        return basis;
    }

    public LabelFormat format() {
        return format;
    }
}
