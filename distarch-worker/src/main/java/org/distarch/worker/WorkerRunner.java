package org.distarch.worker;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/** Runs a {@link WorkerCommand} in a worker process started by a master. */
public final class WorkerRunner {

    private WorkerRunner() {}

    /**
     * Runs the command in this process and returns the exit code: 0 when it returned normally
     * ({@code @@distarch ended} is printed), 1 when it threw (logged at error level), 2 when this
     * process was not started by a master ({@code DA_ID} missing) or its environment is invalid.
     * Replaces {@code System.out}/{@code System.err}, reads stdin for {@code stop}, and turns
     * SIGTERM into a stop request. If stdin closes (master gone) and the command has not
     * returned within {@code DA_ORPHAN_GRACE} seconds (default 10), the JVM halts with code 3.
     */
    public static int run(WorkerCommand command) {
        Objects.requireNonNull(command, "command");
        InputStream stdin = new FileInputStream(FileDescriptor.in);
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        return run(command, System.getenv(), stdin, stdout, stderr, SessionOptions.process());
    }

    /**
     * Runs the command in-process, for tests and embedding: identity comes from {@code env},
     * the master's lines from {@code stdin}; the worker's lines go to {@code stdout} and
     * {@code stderr}. Touches no global state: {@code System.out}, the SIGTERM handler and the
     * JVM are left alone (an orphaned run is not halted).
     */
    public static int run(WorkerCommand command, Map<String, String> env, InputStream stdin,
                          PrintStream stdout, PrintStream stderr) {
        return run(command, env, stdin, stdout, stderr, SessionOptions.inMemory(code -> { }));
    }

    static int run(WorkerCommand command, Map<String, String> env, InputStream stdin,
                   OutputStream stdout, OutputStream stderr, SessionOptions options) {
        Objects.requireNonNull(command, "command");
        return WorkerSession.run(command.name(), command::runWorker, env, stdin, stdout, stderr, options);
    }
}
