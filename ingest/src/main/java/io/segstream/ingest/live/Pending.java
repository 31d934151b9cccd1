package io.segstream.ingest.live;

import io.segstream.media.Picture;
import java.util.UUID;

/**
 * A decoded live frame waiting to be encoded and sent: a copy the reader no longer touches.
 *
 * @param session       the connection it came from
 * @param ptsMicros     presentation time in the stream
 * @param captureMicros wall-clock time it was decoded
 * @param frameRate     the stream's nominal rate, 0 if unknown
 */
record Pending(UUID session, Picture picture, long ptsMicros, long captureMicros, double frameRate)
        implements LatestFrames.Item {}
