package io.segstream.segmenter.model;

import io.segstream.protocol.Scale;
import io.segstream.protocol.Size;
import io.segstream.protocol.SizingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a frame is fitted to a model: the frame is first brought to its inference scale, then, where
 * the model has a fixed crop (or the descriptor a fixed size), resized to fit inside it keeping the
 * aspect ratio, resized to exactly that size, or cut into overlapping tiles of that size. A pure
 * function of the frame size and the scale; {@link FittedPredictor} carries the plan out.
 *
 * @param mode    resolved: never {@code AUTO}
 * @param box     the crop or target size ({@code fit}, {@code resize}, {@code tiles}); empty for {@code native}
 * @param overlap for tiles: the least fraction of a tile that its neighbour shares, 0 to 0.75
 */
public record Fitting(ModelDescriptor.SizePolicy.Mode mode, Optional<Size> box, double overlap) {

    public Fitting {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(box, "box");
        if (mode == ModelDescriptor.SizePolicy.Mode.AUTO) {
            throw new IllegalArgumentException("a fitting is resolved: auto becomes fit or native");
        }
        if (mode != ModelDescriptor.SizePolicy.Mode.NATIVE && box.isEmpty()) {
            throw new IllegalArgumentException("size policy " + name(mode) + " needs a size");
        }
        if (!(overlap >= 0 && overlap <= 0.75)) {
            throw new IllegalArgumentException("tile overlap must be within 0..0.75, got " + overlap);
        }
    }

    public static final Fitting NATIVE = new Fitting(ModelDescriptor.SizePolicy.Mode.NATIVE, Optional.empty(), 0);

    /**
     * The fitting of a descriptor's size policy on a model whose graph has {@code crop} (if any):
     * {@code auto} is {@code fit} into the crop when there is one, else {@code native}; {@code fit}
     * and {@code tiles} take the descriptor's size, else the crop.
     *
     * @throws InvalidModelException when a policy needs a size that neither gives
     */
    public static Fitting resolve(ModelDescriptor.SizePolicy policy, Optional<Size> crop) {
        ModelDescriptor.SizePolicy.Mode mode = policy.mode();
        Optional<Size> box = policy.size().or(() -> crop);
        if (mode == ModelDescriptor.SizePolicy.Mode.AUTO) {
            return box.isPresent() ? new Fitting(ModelDescriptor.SizePolicy.Mode.FIT, box, policy.overlap()) : NATIVE;
        }
        if (mode != ModelDescriptor.SizePolicy.Mode.NATIVE && box.isEmpty()) {
            throw new InvalidModelException("size policy " + name(mode) + " needs a width and a height: the descriptor "
                    + "gives none and the graph shows no fixed crop");
        }
        return new Fitting(
                mode, mode == ModelDescriptor.SizePolicy.Mode.NATIVE ? Optional.empty() : box, policy.overlap());
    }

    /** What runs through the model for one frame. */
    public sealed interface Plan {
        /** The picture at which the model sees the frame: the scaled frame, or the whole of it. */
        Size scaled();
    }

    /** The whole frame, resized to {@code input}. */
    public record Whole(Size scaled) implements Plan {}

    /** The frame resized to {@code scaled}, cut into tiles of {@code tile} at {@code origins}. */
    public record Tiled(Size scaled, Size tile, List<Origin> origins) implements Plan {
        public Tiled {
            origins = List.copyOf(origins);
        }
    }

    /** Where a tile's top-left corner lies in the scaled frame. */
    public record Origin(int x, int y) {}

    public Plan plan(Size frame, Scale scale) {
        Size scaled = scale.apply(frame.width(), frame.height());
        return switch (mode) {
            case NATIVE, AUTO -> new Whole(scaled);
            case RESIZE -> new Whole(box.orElseThrow());
            case FIT -> new Whole(scaled.fitWithin(box.orElseThrow()));
            case TILES -> scaled.fitsIn(box.orElseThrow()) ? new Whole(scaled) : tiles(scaled, box.orElseThrow());
        };
    }

    private Tiled tiles(Size scaled, Size tile) {
        Size t = new Size(Math.min(tile.width(), scaled.width()), Math.min(tile.height(), scaled.height()));
        List<Origin> origins = new ArrayList<>();
        for (int y : starts(scaled.height(), t.height())) {
            for (int x : starts(scaled.width(), t.width())) {
                origins.add(new Origin(x, y));
            }
        }
        return new Tiled(scaled, t, origins);
    }

    /** Evenly spread tile starts along one side, neighbours sharing at least {@code overlap} of a tile. */
    private List<Integer> starts(int length, int tile) {
        if (length <= tile) {
            return List.of(0);
        }
        int stride = Math.max(1, tile - (int) Math.ceil(overlap * tile));
        int n = (int) Math.ceil((length - tile) / (double) stride) + 1;
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add((int) Math.round(i * (length - tile) / (double) (n - 1)));
        }
        return out;
    }

    /** For messages: {@code fit into 1025x513}, {@code native}. */
    public String describe() {
        return switch (mode) {
            case NATIVE, AUTO -> "native (the frame at its scale)";
            case FIT -> "fit into " + box.orElseThrow() + " keeping the aspect ratio";
            case RESIZE -> "resize to " + box.orElseThrow();
            case TILES ->
                String.format(
                        Locale.ROOT, "tiles of %s overlapping by at least %.0f%%", box.orElseThrow(), overlap * 100);
        };
    }

    static String name(ModelDescriptor.SizePolicy.Mode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /** The resolved mode as a model description publishes it (never {@code auto}, which resolves to another). */
    static SizingMode sizing(ModelDescriptor.SizePolicy.Mode mode) {
        return SizingMode.valueOf(mode.name());
    }
}
