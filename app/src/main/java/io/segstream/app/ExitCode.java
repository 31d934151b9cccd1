package io.segstream.app;

/** The exit codes of every segstream command, as docs/command-line.md's exit code tables give them. */
public enum ExitCode {

    /** The work was done: every input read to its end, every frame segmented (or, live, skipped as too old). */
    OK(0),
    /** The work failed: an input could not be read, a service stopped, a download or a model call failed. */
    FAILED(1),
    /** Refused to start, or stopped before the end: bad options, a refused model, a pipeline that stopped. */
    REFUSED(2),
    /** Every input came through, but frames were not segmented (failed, missing or lost). */
    NOT_SEGMENTED(3);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
