package io.segstream.ingest.source;

import io.segstream.media.BgrPicture;
import io.segstream.protocol.Size;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The PNG and JPEG files of a directory, or those matching a glob such as
 * {@code data/leftImg8bit/val/frankfurt/*.png}, in file-name order: how labelled datasets
 * arrive. Each picture is one frame; presentation times follow the {@code framerate} option
 * (default 10 per second). A file that is not a readable picture fails the source, naming it.
 */
public final class ImageSequenceSource implements FrameSource {

    static final double DEFAULT_FRAME_RATE = 10;

    private final SourceSpec spec;
    private final Optional<Size> maxSize;
    private final double frameRate;
    private List<Path> files = List.of();
    private int next;

    public ImageSequenceSource(SourceSpec spec, Optional<Size> maxSize) {
        this.spec = spec;
        this.maxSize = maxSize;
        String rate = spec.options().get("framerate");
        try {
            this.frameRate = rate == null ? DEFAULT_FRAME_RATE : Double.parseDouble(rate);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option framerate must be a number, got '" + rate + "'");
        }
        if (!(frameRate > 0)) {
            throw new IllegalArgumentException("option framerate must be > 0, got " + rate);
        }
    }

    @Override
    public void open() throws IOException {
        files = list(spec.input());
        if (files.isEmpty()) {
            throw new IOException("no PNG or JPEG files match it");
        }
    }

    static List<Path> list(String input) throws IOException {
        Path dir;
        PathMatcher matcher;
        Path asPath = Path.of(input);
        if (Files.isDirectory(asPath)) {
            dir = asPath;
            matcher = p -> true;
        } else {
            int glob = firstGlobChar(input);
            int slash = input.lastIndexOf('/', glob < 0 ? input.length() : glob);
            dir = slash < 0 ? Path.of(".") : Path.of(input.substring(0, Math.max(slash, 1)));
            String pattern = input.substring(slash + 1);
            PathMatcher glob2 = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            matcher = p -> glob2.matches(dir.relativize(p));
            if (!Files.isDirectory(dir)) {
                throw new IOException("no such directory: " + dir);
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(ImageSequenceSource::isPicture)
                    .filter(matcher::matches)
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        }
    }

    private static int firstGlobChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isPicture(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }

    @Override
    public Optional<DecodedFrame> next() throws IOException {
        if (next >= files.size()) {
            return Optional.empty();
        }
        Path file = files.get(next);
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read picture " + file + ": " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IOException(file + " is not a PNG or JPEG picture");
        }
        long pts = Math.round(next * 1_000_000 / frameRate);
        next++;
        return Optional.of(new DecodedFrame(new BgrPicture(scaled(image)), pts));
    }

    private BufferedImage scaled(BufferedImage image) {
        Size size = new Size(image.getWidth(), image.getHeight());
        Size out = maxSize.map(size::fitWithinEven).orElse(size);
        if (out.equals(size) && image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return image;
        }
        BufferedImage copy = new BufferedImage(out.width(), out.height(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = copy.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, out.width(), out.height(), null);
        } finally {
            g.dispose();
        }
        return copy;
    }

    @Override
    public long lengthHint() {
        return files.size();
    }

    @Override
    public double frameRate() {
        return frameRate;
    }

    @Override
    public void close() {
        files = List.of();
    }
}
