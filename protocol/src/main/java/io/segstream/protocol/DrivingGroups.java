package io.segstream.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which classes of a model's taxonomy the driving figures read: what is drivable, and the three
 * obstacle groups. Ids refer to the model's own classes.
 *
 * @param drivable    classes a vehicle may drive on (Cityscapes: road)
 * @param vehicles    cars and other motor vehicles (Cityscapes: car, truck, bus, train)
 * @param persons     people (Cityscapes: person, rider)
 * @param twoWheelers bicycles and motorcycles (Cityscapes: motorcycle, bicycle)
 */
public record DrivingGroups(
        List<Integer> drivable, List<Integer> vehicles, List<Integer> persons, List<Integer> twoWheelers) {

    /** The group names as they appear in descriptors, the model description and frame-stats. */
    public static final List<String> NAMES = List.of("drivable", "vehicles", "persons", "twoWheelers");

    /** The class names each group takes by default, where a taxonomy has them (Cityscapes' groups). */
    public static final Map<String, Set<String>> DEFAULT_NAMES = defaultNames();

    public DrivingGroups {
        drivable = List.copyOf(drivable);
        vehicles = List.copyOf(vehicles);
        persons = List.copyOf(persons);
        twoWheelers = List.copyOf(twoWheelers);
    }

    private static Map<String, Set<String>> defaultNames() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("drivable", Set.of("road"));
        m.put("vehicles", Set.of("car", "truck", "bus", "train"));
        m.put("persons", Set.of("person", "rider"));
        m.put("twoWheelers", Set.of("motorcycle", "bicycle"));
        return Collections.unmodifiableMap(m);
    }

    /** Cityscapes' groups applied by class name: a taxonomy without those names gets empty groups. */
    public static DrivingGroups byDefaultNames(Taxonomy taxonomy) {
        List<List<Integer>> groups = new ArrayList<>();
        for (String group : NAMES) {
            Set<String> names = DEFAULT_NAMES.get(group);
            groups.add(taxonomy.classes().stream()
                    .filter(c -> names.contains(c.name()))
                    .map(SegmentationClass::id)
                    .toList());
        }
        return new DrivingGroups(groups.get(0), groups.get(1), groups.get(2), groups.get(3));
    }

    /** The group by name: one of {@link #NAMES}. */
    public List<Integer> get(String group) {
        return switch (group) {
            case "drivable" -> drivable;
            case "vehicles" -> vehicles;
            case "persons" -> persons;
            case "twoWheelers" -> twoWheelers;
            default -> throw new IllegalArgumentException("no driving group '" + group + "'; groups are " + NAMES);
        };
    }

    /** Every id is a class of {@code taxonomy}. */
    public void checkAgainst(Taxonomy taxonomy) {
        for (String group : NAMES) {
            for (int id : get(group)) {
                if (id < 0 || id >= taxonomy.size()) {
                    throw new IllegalArgumentException("driving group " + group + " names class id " + id
                            + ", but the model has classes 0.." + (taxonomy.size() - 1));
                }
            }
        }
    }
}
