package io.segstream.protocol;

import java.util.Optional;

/**
 * What a consumer needs to read a model's masks and statistics: its classes (names and overlay
 * colours, by id), its driving groups, and how frames are fitted to it. Published by the
 * segmenters on the compacted {@code models} topic keyed by model id, and in-band on the masks
 * topic ({@code ss.type=model}) before the first mask of the model on each partition, so the sink
 * always knows a mask's classes before the mask. JSON form: {@link ModelDescriptionJson}.
 *
 * @param model    the model id, as in the {@code ss.model} header and the {@code model} field of frame-stats
 * @param taxonomy the classes by id
 * @param groups   which classes the driving figures read
 * @param crop     the fixed input size the graph was built for, when it has one
 * @param sizing   how frames are fitted to the model: {@code native}, {@code fit}, {@code resize} or {@code tiles}
 * @param scale    the model's default inference scale (a camera may set its own)
 */
public record ModelDescription(
        String model, Taxonomy taxonomy, DrivingGroups groups, Optional<Size> crop, SizingMode sizing, Scale scale) {

    /** The longest model id. */
    public static final int MAX_ID = 200;

    public ModelDescription {
        Checks.nonNull("model taxonomy groups crop sizing scale", model, taxonomy, groups, crop, sizing, scale);
        if (model.isBlank() || model.length() > MAX_ID || model.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("model id must be 1.." + MAX_ID + " printable characters");
        }
        groups.checkAgainst(taxonomy);
    }

    /** A model known only by its id and classes: Cityscapes' groups by name, frames at their own size. */
    public static ModelDescription of(String model, Taxonomy taxonomy) {
        return new ModelDescription(
                model,
                taxonomy,
                DrivingGroups.byDefaultNames(taxonomy),
                Optional.empty(),
                SizingMode.NATIVE,
                Scale.ONE);
    }
}
