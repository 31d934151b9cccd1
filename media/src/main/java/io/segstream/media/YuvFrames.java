package io.segstream.media;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.Frame;

/**
 * Copies the YUV 4:2:0 planes JavaCV's grabber converted into (its frame's {@code opaque} AVFrame)
 * out of native memory, row by row past FFmpeg's padding, into a ring of {@code buffers} arrays:
 * each array is reused {@code buffers} calls later.
 */
final class YuvFrames {

    private final byte[][] ring;
    private int next;

    YuvFrames(int buffers) {
        this.ring = new byte[buffers][];
    }

    YuvPicture toPicture(Frame frame) {
        AVFrame av = (AVFrame) frame.opaque;
        int width = frame.imageWidth;
        int height = frame.imageHeight;
        int size = YuvPicture.size(width, height);
        byte[] data = ring[next];
        if (data == null || data.length != size) {
            data = new byte[size];
            ring[next] = data;
        }
        next = (next + 1) % ring.length;
        YuvPicture picture = new YuvPicture(width, height, data);
        for (int p = 0; p < 3; p++) {
            BytePointer plane = av.data(p);
            int linesize = av.linesize(p);
            int row = picture.stride(p);
            int rows = picture.rows(p);
            int offset = picture.offset(p);
            if (linesize == row) {
                plane.position(0).get(data, offset, row * rows);
            } else {
                for (int y = 0; y < rows; y++) {
                    plane.position((long) y * linesize).get(data, offset + y * row, row);
                }
            }
            plane.position(0);
        }
        return picture;
    }
}
