package org.distarch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code run-master --stop}: finds the master through its pid file, sends it SIGTERM (it then stops
 * its processes gracefully, as on Ctrl-C) and waits for it to be gone.
 *
 * <p>Exit codes: 0 the master is gone; 1 it did not stop in time (it is left running) or could not be
 * signalled; 2 no master runs at that pid file (none, or a stale one).
 */
final class StopMaster {

    /**
     * Added to {@code --timeout}: a master given the same {@code --timeout} may use all of it before it
     * kills what is left, then needs a moment to exit.
     */
    static final Duration MARGIN = Duration.ofSeconds(10);

    private final PrintStream out;
    private final PrintStream err;

    StopMaster(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int stop(Path pidFile, Duration wait) throws InterruptedException {
        PidFile.Check check;
        try {
            check = PidFile.check(pidFile);
        } catch (IOException e) {
            err.println("Cannot read the pid file " + pidFile + ": " + e);
            return ExitCodes.NO_MASTER;
        }
        switch (check.state()) {
            case NONE:
                err.println("No master is running: there is no pid file at " + pidFile);
                return ExitCodes.NO_MASTER;
            case STALE:
                err.println("No master is running: the pid file " + pidFile + " is stale (" + check.reason()
                        + "); the next run-master replaces it");
                return ExitCodes.NO_MASTER;
            default:
                break;
        }
        long pid = check.entry().pid();
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().destroy()) {
            if (!isSame(check.entry())) {
                out.println("Master pid " + pid + " had already stopped.");
                return 0;
            }
            err.println("Cannot send SIGTERM to master pid " + pid + " (is it another user's? try as root or as that user)");
            return ExitCodes.FAILED;
        }
        out.println("Sent SIGTERM to master pid " + pid + "; waiting up to " + wait.toSeconds() + " s for it to stop...");
        long deadline = System.nanoTime() + wait.toNanos();
        while (isSame(check.entry())) {
            if (System.nanoTime() > deadline) {
                err.println("Master pid " + pid + " did not stop within " + wait.toSeconds()
                        + " s; it is still running (stopping its processes, or stuck). Nothing was killed.");
                return ExitCodes.FAILED;
            }
            Thread.sleep(100);
        }
        out.println("Master pid " + pid + " stopped.");
        return 0;
    }

    /** True while the process named by the entry is still the same running process. */
    private static boolean isSame(PidFile.Entry entry) {
        String token = ProcInfo.startToken(entry.pid());
        return token != null && (entry.startToken() == null || Objects.equals(token, entry.startToken()));
    }
}
