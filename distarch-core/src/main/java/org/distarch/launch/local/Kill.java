package org.distarch.launch.local;

/**
 * kill(2) for code that signals processes this launcher did not start: a previous master's or relay's workers.
 * A system call, never a forked {@code kill} (which would cost a process and a JDK reaper thread each time).
 */
public final class Kill {

    private Kill() {}

    /**
     * Sends {@code signal} (a {@link org.distarch.launch.SignalName}, e.g. "TERM") to the process group
     * {@code group}; false when no such group exists.
     */
    public static boolean group(String signal, long group) {
        return ProcessSignaller.signalGroup(signal, group);
    }

    /** Sends {@code signal} to the process {@code pid}; false when it is gone (or not ours to signal). */
    public static boolean process(String signal, long pid) {
        return Libc.kill((int) pid, Libc.signalNumber(signal)) == 0;
    }
}
