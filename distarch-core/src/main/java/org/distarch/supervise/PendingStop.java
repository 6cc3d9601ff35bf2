package org.distarch.supervise;

import java.time.Duration;

/**
 * What an instance is on its way down for, from the moment a stop is asked until its process has exited: a
 * silence timeout, an operator's (or the fleet's) stop, or a restart that is not the process's fault. Its exit
 * is read against it (stopped, started again at once, or weighed by the restart policy), and a stop asked while
 * the process is still being launched keeps its grace and kill line here until the launch is done. It only
 * remembers: the {@link InstanceSupervisor} alone moves the instance's state.
 */
final class PendingStop {

    enum Intent { NONE, TIMEOUT, STOP, RESTART }

    private Intent intent = Intent.NONE;
    private String reason;
    private Duration grace;
    private String killMessage;

    /** A new run: nothing asked yet. */
    void clear() {
        intent = Intent.NONE;
    }

    /** A stop is under way for {@code intent} and {@code reason}; the stop sequence has its own terms. */
    void asked(Intent intent, String reason) {
        this.intent = intent;
        this.reason = reason;
    }

    /** A stop asked before the process runs: begun with {@code grace} and {@code killMessage} once it does. */
    void askedBeforeRunning(String reason, Duration grace, String killMessage) {
        asked(Intent.STOP, reason);
        this.grace = grace;
        this.killMessage = killMessage;
    }

    Intent intent() {
        return intent;
    }

    boolean is(Intent i) {
        return intent == i;
    }

    String reason() {
        return reason;
    }

    Duration grace() {
        return grace;
    }

    String killMessage() {
        return killMessage;
    }

    /** The usual line logged when a stop with {@code grace} ends in a kill; none for a zero grace (a kill at once). */
    static String killMessage(Duration grace) {
        return grace.isZero() ? null : "did not stop within " + seconds(grace) + ", force kill";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : String.format("%.1fs", d.toMillis() / 1000.0);
    }
}
