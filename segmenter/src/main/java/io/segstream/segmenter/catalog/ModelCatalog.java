package io.segstream.segmenter.catalog;

import io.segstream.protocol.Size;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The models segstream knows by name: Google's DeepLab model-zoo checkpoints trained on Cityscapes
 * (research/deeplab/g3doc/model_zoo.md). Each archive holds a frozen graph in the zoo's layout,
 * which segstream converts once to a SavedModel. The zoo's graphs were exported for a fixed crop, so
 * frames are fitted into it (the crop is read from the graph when it is loaded). The zoo publishes no checksums: the first
 * download's SHA-256 is recorded in the cache and every later download must match it.
 */
public final class ModelCatalog {

    /** export_model.py's default crop, which the zoo's frozen graphs were exported with (H 513 x W 513). */
    private static final Size ZOO_CROP = new Size(513, 513);

    private static final String DEEPLAB_LAYOUT =
            "ImageTensor:0 uint8 [1,H,W,3] raw RGB -> SemanticPredictions:0 int64 [1,H,W]";

    public static final List<CatalogEntry> BUILT_IN = List.of(
            new CatalogEntry(
                    "deeplabv3-mobilenetv2-cityscapes",
                    "DeepLabv3, MobileNet-v2 backbone (no ASPP, no decoder), MS-COCO then Cityscapes train_fine",
                    URI.create(
                            "http://download.tensorflow.org/models/deeplabv3_mnv2_cityscapes_train_2018_02_05.tar.gz"),
                    "deeplabv3_mnv2_cityscapes_train_2018_02_05.tar.gz",
                    23L << 20,
                    Optional.empty(),
                    "cityscapes",
                    DEEPLAB_LAYOUT,
                    Optional.of(ZOO_CROP)),
            new CatalogEntry(
                    "deeplabv3plus-xception65-cityscapes",
                    "DeepLabv3+, Xception-65 backbone with ASPP and decoder, ImageNet then Cityscapes train_fine",
                    URI.create("http://download.tensorflow.org/models/deeplabv3_cityscapes_train_2018_02_06.tar.gz"),
                    "deeplabv3_cityscapes_train_2018_02_06.tar.gz",
                    439L << 20,
                    Optional.empty(),
                    "cityscapes",
                    DEEPLAB_LAYOUT,
                    Optional.of(ZOO_CROP)));

    private final List<CatalogEntry> entries;

    public ModelCatalog(List<CatalogEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ModelCatalog builtIn() {
        return new ModelCatalog(BUILT_IN);
    }

    public List<CatalogEntry> entries() {
        return entries;
    }

    public Optional<CatalogEntry> find(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
