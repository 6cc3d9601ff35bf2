package org.distarch.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.distarch.event.DistarchListener;
import org.distarch.event.MasterEvent;
import org.distarch.output.FileLogSink;
import org.distarch.output.LogFormat;
import org.distarch.output.LogOutputStream;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.output.StreamLogSink;
import org.distarch.worker.protocol.LogLevel;

/**
 * What a running master holds besides its fleet: its pid file and its log. A foreground master logs to
 * its standard output; a service (the detached process {@code --service} starts) logs to its
 * {@code --log} file through a {@link FileLogSink}, reopened on SIGHUP, with {@code System.out} and
 * {@code System.err} sent into that log too. Closing releases everything: the log is flushed and
 * closed, the pid file removed.
 */
final class MasterSession implements AutoCloseable {

    /** The master cannot start; {@link #getMessage()} says why, {@link #exitCode()} what to exit with. */
    static final class StartException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        StartException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }

    private final PidFile pid;
    private final LogSink log;
    private final FileLogSink file;
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;

    private MasterSession(PidFile pid, LogSink log, FileLogSink file) {
        this.pid = pid;
        this.log = log;
        this.file = file;
    }

    /**
     * Takes the pid file and opens the log.
     *
     * @param explicitPid whether {@code --pid} was given: then a pid file that cannot be written stops the
     *                    start; the default one only earns a warning (a foreground master in a read-only
     *                    directory still runs)
     * @param logFile     the service's log file, or null to log to standard output
     */
    static MasterSession open(Path pidFile, boolean explicitPid, Path logFile, LogFormat format)
            throws StartException {
        PidFile pid = null;
        String pidProblem = null;
        try {
            pid = PidFile.acquire(pidFile);
        } catch (PidFile.AlreadyRunningException e) {
            throw new StartException(e.getMessage(), ExitCodes.USAGE);
        } catch (IOException e) {
            pidProblem = "Cannot write the pid file " + pidFile + ": " + e;
            if (explicitPid || logFile != null) {
                throw new StartException(pidProblem, ExitCodes.FAILED);
            }
        }
        LogSink log;
        FileLogSink file = null;
        try {
            if (logFile != null) {
                file = FileLogSink.open(logFile, format);
                log = file;
            } else {
                log = new StreamLogSink(new FileOutputStream(FileDescriptor.out), format);
            }
        } catch (IOException e) {
            if (pid != null) {
                pid.release();
            }
            throw new StartException("Cannot open the log file " + logFile + ": " + e, ExitCodes.FAILED);
        }
        MasterSession session = new MasterSession(pid, log, file);
        if (pidProblem != null) {
            session.note(LogLevel.WARN, pidProblem + "; run-master --stop and the control commands will not find "
                    + "this master");
        }
        if (pid != null) {
            pid.replacedStale().ifPresent(note -> session.note(LogLevel.WARN, note));
        }
        if (file != null) {
            System.setOut(LogOutputStream.printStream(log, LogLevel.INFO));
            System.setErr(LogOutputStream.printStream(log, LogLevel.ERROR));
        }
        return session;
    }

    LogSink log() {
        return log;
    }

    /** Marks the pid file {@code state=running} once the master has started its processes. */
    DistarchListener readiness() {
        return new DistarchListener() {
            @Override
            public boolean wants(org.distarch.event.DistarchEvent event) {
                return event instanceof MasterEvent.Started;
            }

            @Override
            public void onMasterStarted(MasterEvent.Started event) {
                if (pid == null) {
                    return;
                }
                try {
                    pid.markRunning();
                } catch (IOException e) {
                    note(LogLevel.WARN, "Cannot update the pid file " + pid.path() + ": " + e);
                }
            }
        };
    }

    /**
     * For a service: what SIGHUP does, reopening the log file and running {@code alsoReopen} (the per-process log
     * files), so that a rotation by moving the files works. Null for a foreground master: SIGHUP stays a graceful
     * stop (its terminal went away), and its files reopen through {@code distarch logs --reopen} instead.
     */
    Runnable reopenOnHangup(Runnable alsoReopen) {
        if (file == null) {
            return null;
        }
        return () -> {
            note(LogLevel.INFO, "Received SIGHUP: reopening the log file " + file.path());
            file.reopen();
            alsoReopen.run();
        };
    }

    /** Reopens a service's log file (asked through the control socket); nothing for a foreground master. */
    void reopenLog() {
        if (file != null) {
            note(LogLevel.INFO, "Reopening the log file " + file.path() + " (asked through the control socket)");
            file.reopen();
        }
    }

    private void note(LogLevel level, String message) {
        log.write(new LogRecord(System.currentTimeMillis(), level, null, message, null));
    }

    @Override
    public void close() {
        if (file != null) {
            System.out.flush();
            System.err.flush();
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        log.close();
        if (pid != null) {
            pid.release();
        }
    }
}
