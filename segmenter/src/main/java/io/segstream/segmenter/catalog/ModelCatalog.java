package io.segstream.segmenter.catalog;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The models segstream knows by name: Google's DeepLab model-zoo checkpoints trained on Cityscapes
 * (research/deeplab/g3doc/model_zoo.md). Each archive holds a frozen graph in the zoo's layout,
 * which segstream converts once to a SavedModel. The zoo publishes no checksums: the first
 * download's SHA-256 is recorded in the cache and every later download must match it.
 */
public final class ModelCatalog {

    private static final String DEEPLAB_LAYOUT = "ImageTensor:0 uint8 [1,H,W,3] raw RGB -> SemanticPredictions:0 int64 [1,H,W]";

    public static final List<CatalogEntry> BUILT_IN = List.of(
            new CatalogEntry("deeplabv3-mobilenetv2-cityscapes",
                    "DeepLabv3, MobileNet-v2 backbone (no ASPP, no decoder), MS-COCO then Cityscapes train_fine",
                    URI.create("http://download.tensorflow.org/models/deeplabv3_mnv2_cityscapes_train_2018_02_05.tar.gz"),
                    "deeplabv3_mnv2_cityscapes_train_2018_02_05.tar.gz", 23L << 20, Optional.empty(), "cityscapes",
                    DEEPLAB_LAYOUT),
            new CatalogEntry("deeplabv3plus-xception65-cityscapes",
                    "DeepLabv3+, Xception-65 backbone with ASPP and decoder, ImageNet then Cityscapes train_fine",
                    URI.create("http://download.tensorflow.org/models/deeplabv3_cityscapes_train_2018_02_06.tar.gz"),
                    "deeplabv3_cityscapes_train_2018_02_06.tar.gz", 439L << 20, Optional.empty(), "cityscapes",
                    DEEPLAB_LAYOUT));

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
