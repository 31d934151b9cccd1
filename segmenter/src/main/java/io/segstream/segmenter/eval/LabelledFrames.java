package io.segstream.segmenter.eval;

import io.segstream.protocol.LabelMap;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Pictures and their ground truth, paired by name: Cityscapes' {@code X_leftImg8bit.png} with
 * {@code X_gtFine_labelTrainIds.png}, else {@code X.png} with {@code X.png} in the label directory.
 * In file-name order, as an image-sequence camera reads them.
 */
public final class LabelledFrames {

    /** One picture and its label file. */
    public record Pair(Path image, Path labels) {}

    private LabelledFrames() {}

    /**
     * @throws IOException naming the directory, or the first picture without labels
     */
    public static List<Pair> pair(Path images, Path labels) throws IOException {
        if (!Files.isDirectory(images)) {
            throw new IOException("no picture directory " + images);
        }
        if (!Files.isDirectory(labels)) {
            throw new IOException("no label directory " + labels);
        }
        List<Path> pictures;
        try (Stream<Path> s = Files.list(images)) {
            pictures = s.filter(LabelledFrames::isPicture).sorted().toList();
        }
        if (pictures.isEmpty()) {
            throw new IOException("no PNG or JPEG pictures in " + images);
        }
        List<Pair> out = new ArrayList<>();
        for (Path p : pictures) {
            out.add(new Pair(
                    p,
                    labelsOf(p, labels)
                            .orElseThrow(() -> new IOException("no labels for " + p.getFileName() + " in " + labels
                                    + " (expected " + stem(p) + ".png or " + stem(p) + "_gtFine_labelTrainIds.png)"))));
        }
        return out;
    }

    private static Optional<Path> labelsOf(Path picture, Path dir) {
        for (String name : List.of(
                stem(picture) + "_gtFine_labelTrainIds.png",
                picture.getFileName().toString(),
                stem(picture) + ".png")) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String stem(Path picture) {
        String name = picture.getFileName().toString();
        name = name.substring(0, name.lastIndexOf('.'));
        return name.endsWith("_leftImg8bit") ? name.substring(0, name.length() - "_leftImg8bit".length()) : name;
    }

    private static boolean isPicture(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    /** A label picture's class ids (its first band, 8-bit). */
    public static LabelMap readLabels(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + " is not a picture");
        }
        Raster r = img.getRaster();
        byte[] ids = new byte[img.getWidth() * img.getHeight()];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                ids[y * img.getWidth() + x] = (byte) r.getSample(x, y, 0);
            }
        }
        return new LabelMap(img.getWidth(), img.getHeight(), ids);
    }
}
