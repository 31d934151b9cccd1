package io.segstream.protocol;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;

/** Copies of records with some components changed: the withers of the configs, through the canonical constructor. */
public final class Records {

    private Records() {}

    /**
     * A copy of {@code record} with some components replaced; the canonical constructor runs, so
     * every check of the record applies to the copy.
     *
     * @param namesAndValues a component's name, then its new value, for each component replaced
     * @throws IllegalArgumentException for a name the record has no component of, or what the record's checks throw
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R with(R record, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Map<Object, Object> changed = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            changed.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                String name = components[i].getName();
                types[i] = components[i].getType();
                args[i] = changed.containsKey(name)
                        ? changed.remove(name)
                        : components[i].getAccessor().invoke(record);
            }
            if (!changed.isEmpty()) {
                throw new IllegalArgumentException(
                        record.getClass().getSimpleName() + " has no component " + changed.keySet());
            }
            Constructor<?> canonical = record.getClass().getDeclaredConstructor(types);
            return (R) canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + record.getClass().getSimpleName(), e);
        }
    }
}
