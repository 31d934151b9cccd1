package io.segstream.ingest.source;

/** What kind of input a camera reads, and whether it is live by nature. */
public enum SourceKind {
    FILE(false),
    IMAGE_SEQUENCE(false),
    RTSP(true),
    HTTP(true),
    HLS(true),
    UDP(true),
    RTP(true),
    SRT(true),
    V4L2(true);

    private final boolean liveByDefault;

    SourceKind(boolean liveByDefault) {
        this.liveByDefault = liveByDefault;
    }

    /** Whether a camera of this kind is treated as live unless its configuration says otherwise. */
    public boolean liveByDefault() {
        return liveByDefault;
    }

    /** Whether FFmpeg reaches it over a network, so that it needs socket timeouts. */
    public boolean network() {
        return this != FILE && this != IMAGE_SEQUENCE && this != V4L2;
    }
}
