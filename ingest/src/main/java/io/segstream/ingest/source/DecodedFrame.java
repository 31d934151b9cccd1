package io.segstream.ingest.source;

import java.awt.image.BufferedImage;

/**
 * A decoded picture and its presentation time. The image may be a buffer the source reuses on
 * its next read: encode it before reading again or handing it to another thread.
 */
public record DecodedFrame(BufferedImage image, long ptsMicros) {
}
