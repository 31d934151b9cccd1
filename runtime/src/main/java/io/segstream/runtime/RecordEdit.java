package io.segstream.runtime;

import java.util.function.Consumer;

/**
 * The fields of a configuration record, copied to be changed by its withers and made into a new
 * record (whose constructor checks them): withers name the fields they change, the compiler checks
 * the names, and no wither repeats the record's whole argument list.
 *
 * @param <R> the record
 */
public interface RecordEdit<R> {

    /** The record these fields make. */
    R done();

    /** {@code change} made to {@code fields}, as a new record. */
    static <R, E extends RecordEdit<R>> R apply(E fields, Consumer<E> change) {
        change.accept(fields);
        return fields.done();
    }
}
