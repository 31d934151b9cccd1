package io.segstream.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_inv_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Joins the parts of an overlay video, written by {@link H264Mp4Writer} (same encoder settings,
 * no B-frames: one packet per frame, in display order), into one MP4 without re-encoding, taking
 * the first {@link Part#frames()} frames of each part and renumbering them at the nominal rate.
 */
public final class Mp4Concat {

    /** A part file and how many of its frames to take. */
    public record Part(Path file, long frames) {}

    private Mp4Concat() {}

    /**
     * @return the frames taken from each part; fewer than asked when a part holds fewer (its writer
     *     died) or a packet is cut short (the file was truncated): a part ends before its first such packet
     */
    public static long[] concat(List<Part> parts, Path out) throws IOException {
        AVFormatContext ofmt = new AVFormatContext(null);
        check(avformat_alloc_output_context2(ofmt, null, "mp4", out.toString()), "prepare", out);
        AVStream ost = null;
        AVRational inputTimeBase = null;
        long frameDuration = 0;
        long written = 0;
        long[] taken = new long[parts.size()];
        AVPacket pkt = av_packet_alloc();
        try {
            for (int k = 0; k < parts.size(); k++) {
                Part part = parts.get(k);
                AVFormatContext ifmt = new AVFormatContext(null);
                check(avformat_open_input(ifmt, part.file().toString(), null, null), "open", part.file());
                try {
                    check(avformat_find_stream_info(ifmt, (PointerPointer<?>) null), "read", part.file());
                    int vs = check(
                            av_find_best_stream(ifmt, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0),
                            "find the video in",
                            part.file());
                    AVStream ist = ifmt.streams(vs);
                    if (ost == null) {
                        ost = avformat_new_stream(ofmt, null);
                        check(
                                avcodec_parameters_copy(ost.codecpar(), ist.codecpar()),
                                "copy the stream of",
                                part.file());
                        ost.codecpar().codec_tag(0);
                        // a copy: ist.time_base() points into the first part's context, freed once it is read
                        inputTimeBase = new AVRational()
                                .num(ist.time_base().num())
                                .den(ist.time_base().den());
                        ost.time_base(inputTimeBase);
                        AVRational rate = ist.avg_frame_rate().num() > 0 ? ist.avg_frame_rate() : ist.r_frame_rate();
                        frameDuration = Math.max(1, av_rescale_q(1, av_inv_q(rate), inputTimeBase));
                        open(ofmt, out);
                    }
                    int nalLength = nalLengthSize(ist);
                    while (taken[k] < part.frames() && av_read_frame(ifmt, pkt) >= 0) {
                        if (pkt.stream_index() == vs && !intact(pkt, nalLength)) {
                            // a packet cut short (a file truncated by a crash or a full disk): the part ends before it
                            av_packet_unref(pkt);
                            break;
                        }
                        if (pkt.stream_index() == vs) {
                            pkt.stream_index(0);
                            pkt.pts(written * frameDuration);
                            pkt.dts(written * frameDuration);
                            pkt.duration(frameDuration);
                            pkt.pos(-1);
                            av_packet_rescale_ts(pkt, inputTimeBase, ost.time_base());
                            check(av_interleaved_write_frame(ofmt, pkt), "write", out);
                            written++;
                            taken[k]++;
                        }
                        av_packet_unref(pkt);
                    }
                } finally {
                    avformat_close_input(ifmt);
                }
            }
            if (ost != null) {
                check(av_write_trailer(ofmt), "finish", out);
            }
            return taken;
        } finally {
            av_packet_free(pkt);
            if (ofmt.pb() != null) {
                AVIOContext pb = ofmt.pb();
                avio_closep(pb);
            }
            avformat_free_context(ofmt);
        }
    }

    /**
     * The size of the NAL unit lengths in the stream's packets (avcC: 1, 2 or 4 bytes); 0 when the
     * stream does not say (no check is made then).
     */
    private static int nalLengthSize(AVStream stream) {
        BytePointer extra = stream.codecpar().extradata();
        if (extra == null || stream.codecpar().extradata_size() < 5 || extra.get(0) != 1) {
            return 0;
        }
        return (extra.get(4) & 0x03) + 1;
    }

    /** Whether the packet's NAL units, each prefixed with its length, fill it exactly (a cut one does not). */
    static boolean intact(AVPacket pkt, int lengthSize) {
        if (lengthSize == 0) {
            return true;
        }
        int size = pkt.size();
        BytePointer data = pkt.data();
        long at = 0;
        while (at + lengthSize <= size) {
            long length = 0;
            for (int i = 0; i < lengthSize; i++) {
                length = (length << 8) | (data.get(at + i) & 0xFF);
            }
            at += lengthSize + length;
        }
        return size > 0 && at == size;
    }

    private static void open(AVFormatContext ofmt, Path out) throws IOException {
        AVIOContext pb = new AVIOContext(null);
        check(avio_open(pb, out.toString(), AVIO_FLAG_WRITE), "create", out);
        ofmt.pb(pb);
        AVDictionary options = new AVDictionary(null);
        av_dict_set(options, "movflags", "faststart", 0);
        try {
            check(avformat_write_header(ofmt, options), "start", out);
        } finally {
            av_dict_free(options);
        }
    }

    private static int check(int code, String what, Path file) throws IOException {
        return FFmpegError.check(code, what, file);
    }
}
