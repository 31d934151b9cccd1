package io.segstream.ingest.live;

import java.util.UUID;

/** The connection of {@code session} is over: the sender closes it with an end-of-stream marker. */
record SessionEnd(UUID session) implements LatestFrames.Item {}
