package org.distarch.supervise;

import java.util.function.Supplier;
import org.distarch.event.ExitStatus;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.Usage;
import org.distarch.launch.WorkerLostException;

/**
 * The process of an instance's current run and what a status shows about its runs: the pid, when the run
 * started, when the last one ended and how, whether one ever ran, the usage. It also reads the launcher's report
 * of an ended run (an exit status, or a lost connection). It exists apart from the {@link InstanceSupervisor} so
 * that the supervisor's figures and its exit handling share one record of the run; it decides nothing and moves
 * no state. Written on the supervision thread; what {@link #usageReader} returns may be used from any thread.
 */
final class RunRecord {

    /** How a run ended: its exit status, or why its host's connection was lost (then with no status). */
    record End(ExitStatus exit, String lost) {
        /** "exit code 3", "connection lost: …": what the "Exited (…)" and "Stopped (…)" lines say. */
        String how() {
            return lost != null ? "connection lost: " + lost : exit.describe();
        }
    }

    private LaunchedWorker worker;
    private long startedAt;
    private long stoppedAt;
    private ExitStatus lastExit;
    private boolean everRan;

    /** {@code launched} runs since {@code epochMillis}. */
    void started(LaunchedWorker launched, long epochMillis) {
        worker = launched;
        everRan = true;
        startedAt = epochMillis;
    }

    /** Whether {@code w} is the current run's process (not an earlier one whose end came late). */
    boolean isCurrent(LaunchedWorker w) {
        return w == worker;
    }

    /**
     * The current process ended at {@code epochMillis}, with {@code exit} or {@code error} (already unwrapped)
     * as its launcher reported; no status and no lost connection reads as exit code -1.
     */
    End ended(ExitStatus exit, Throwable error, long epochMillis) {
        worker = null;
        stoppedAt = epochMillis;
        String lost = error == null ? null : error instanceof WorkerLostException w ? w.getMessage()
                : String.valueOf(error.getMessage());
        if (lost == null && exit == null) {
            exit = new ExitStatus(-1, 0);
        }
        lastExit = exit;
        return new End(exit, lost);
    }

    /** The running process, or null. */
    LaunchedWorker worker() {
        return worker;
    }

    long pid() {
        return worker == null ? 0 : worker.pid();
    }

    /** When the current process started (epoch millis), or 0 when none runs. */
    long startedAtMillis() {
        return worker == null ? 0 : startedAt;
    }

    /** When the last process started, running or not: what an ended run's durations count from. */
    long lastStartMillis() {
        return startedAt;
    }

    long stoppedAtMillis() {
        return stoppedAt;
    }

    ExitStatus lastExit() {
        return lastExit;
    }

    boolean everRan() {
        return everRan;
    }

    Usage usage() {
        return worker == null ? Usage.UNKNOWN : worker.usage();
    }

    /** Reads the usage of the worker running now (none: unknown) from any thread. */
    Supplier<Usage> usageReader() {
        LaunchedWorker w = worker;
        return w == null ? () -> Usage.UNKNOWN : w::usage;
    }

    /** Sends {@code signal} to the running process's group; false when none runs. */
    boolean signal(String signal) {
        if (worker == null) {
            return false;
        }
        worker.signal(signal);
        return true;
    }

    /** Kills the running process's tree, if one runs. */
    void kill() {
        if (worker != null) {
            worker.kill();
        }
    }
}
