package io.segstream.segmenter.worker;

import io.segstream.protocol.LabelMap;
import io.segstream.protocol.MaskSerde;
import io.segstream.protocol.MaskStatus;
import io.segstream.segmenter.model.FrameDecoder;
import io.segstream.segmenter.model.RgbImage;
import io.segstream.segmenter.model.SegmentationModel;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decodes a frame, runs the model and encodes the mask; a frame that cannot be segmented gives a failed result. */
final class FrameSegmenter {

    private static final Logger LOG = LoggerFactory.getLogger(FrameSegmenter.class);
    private static final byte[] EMPTY = new byte[0];

    private final SegmentationModel.Predictor predictor;
    private final Serializer<LabelMap> masks = new MaskSerde().serializer();

    FrameSegmenter(SegmentationModel.Predictor predictor) {
        this.predictor = predictor;
    }

    MaskResult segment(byte[] frameBytes, long sequence) {
        RgbImage image;
        try {
            image = FrameDecoder.decode(frameBytes);
        } catch (IllegalArgumentException e) {
            LOG.error("Frame {} failed: {}", sequence, e.getMessage());
            return new MaskResult(EMPTY, MaskStatus.FAILED, 0);
        }
        long start = System.nanoTime();
        LabelMap labels;
        try {
            labels = predictor.segment(image);
        } catch (RuntimeException e) {
            LOG.error("Frame {} failed in the model: {}", sequence, e.getMessage(), e);
            return new MaskResult(EMPTY, MaskStatus.FAILED, (System.nanoTime() - start) / 1000);
        }
        long inferenceMicros = (System.nanoTime() - start) / 1000;
        return new MaskResult(masks.serialize(null, labels), MaskStatus.OK, inferenceMicros);
    }
}
