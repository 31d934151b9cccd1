package io.segstream.segmenter.worker;

import io.segstream.protocol.MaskStatus;

/** What segmenting one frame gave: the encoded mask (empty unless ok), its status and the model time. */
record MaskResult(byte[] png, MaskStatus status, long inferenceMicros) {
}
