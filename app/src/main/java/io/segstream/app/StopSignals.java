package io.segstream.app;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and Ctrl-C (SIGINT) stop a command through its own stopping path, so that it finishes
 * what it accepted and exits with its own code (0 when everything came out) instead of the 143 or
 * 130 the JVM gives a process it stops by signal. A second signal stops at once, with that code.
 */
final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {}

    /**
     * Runs {@code stop} on its own thread at the first SIGTERM or SIGINT; the command's main thread
     * then returns as it does at its end. Returns false where the signals cannot be taken (the JVM
     * keeps them, e.g. with -Xrs): the caller relies on a shutdown hook then.
     */
    static boolean onStop(Runnable stop) {
        AtomicBoolean first = new AtomicBoolean(true);
        try {
            for (String name : List.of("TERM", "INT")) {
                Signal.handle(new Signal(name), signal -> {
                    if (first.compareAndSet(true, false)) {
                        LOG.info("SIG{} received: stopping; a second one stops at once", signal.getName());
                        Thread t = new Thread(stop, "segstream-stop");
                        t.setDaemon(true);
                        t.start();
                    } else {
                        Runtime.getRuntime().halt(128 + signal.getNumber());
                    }
                });
            }
            return true;
        } catch (IllegalArgumentException e) {
            LOG.debug("Signals not taken ({}): a shutdown hook stops the command", e.getMessage());
            return false;
        }
    }
}
