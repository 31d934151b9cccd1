package io.segstream.ingest.source;

import io.segstream.media.Picture;

/**
 * A decoded picture and its presentation time. The picture may be a buffer the source reuses on a
 * later read: encode it or {@link Picture#copy() copy} it before handing it on.
 */
public record DecodedFrame(Picture picture, long ptsMicros) {}
