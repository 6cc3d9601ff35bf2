package org.distarch.worker;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.distarch.worker.protocol.WorkerEnv;
import org.distarch.worker.protocol.WorkerLineCodec;

/**
 * One run of a worker in its process: identity, output wrapping, stdin watching, SIGTERM,
 * orphan watchdog, exit code. Behind {@code WorkerRunner}.
 *
 * <pre>
 * exit 0  the body returned (after "@@distarch ended")
 * exit 1  the body threw (logged at error level with its stack trace)
 * exit 2  not started by a master (DA_ID missing) or invalid environment
 * exit 3  master gone (stdin EOF) and the body still running after DA_ORPHAN_GRACE: halted
 * </pre>
 */
final class WorkerSession {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_ORPHANED = 3;

    private final String name;
    private final SessionOptions options;
    private final LineSyncOutput output;
    private final PrintStream out;
    private final PrintStream err;
    private final ProtocolLogger logger;
    private final RuntimeContext context;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean watchdogStarted = new AtomicBoolean();
    private final Duration orphanGrace;

    private WorkerSession(String name, WorkerIdentity identity, Map<String, String> env, OutputStream stdout,
                          OutputStream stderr, SessionOptions options) {
        this.name = name;
        this.options = options;
        this.orphanGrace = identity.orphanGrace();
        this.output = new LineSyncOutput(new BufferedOutputStream(stdout, 1 << 16),
                new BufferedOutputStream(stderr, 1 << 13), System::nanoTime);
        this.out = new PrintStream(output.stdout(), true, StandardCharsets.UTF_8);
        this.err = new PrintStream(output.stderr(), true, StandardCharsets.UTF_8);
        this.logger = new ProtocolLogger(name, output);
        this.context = new RuntimeContext(identity, env, logger, out, output, System::nanoTime);
    }

    /** Runs {@code body} as the worker {@code name}; returns the process exit code. */
    public static int run(String name, WorkerBody body, Map<String, String> env, InputStream stdin,
                          OutputStream stdout, OutputStream stderr, SessionOptions options) {
        if (!WorkerIdentity.present(env)) {
            usage(stderr, name + " is a distarch worker command: it runs under a master. Start it with "
                    + "`run-master` and a configuration whose group runs it.");
            return EXIT_USAGE;
        }
        WorkerIdentity identity;
        try {
            identity = WorkerIdentity.parse(env, name);
        } catch (IllegalArgumentException e) {
            usage(stderr, name + ": invalid environment from the master: " + e.getMessage());
            return EXIT_USAGE;
        }
        return new WorkerSession(name, identity, env, stdout, stderr, options).run(body, stdin, identity);
    }

    private int run(WorkerBody body, InputStream stdin, WorkerIdentity identity) {
        if (options.processWide()) {
            System.out.flush();
            System.err.flush();
            System.setOut(out);
            System.setErr(err);
            Runtime.getRuntime().addShutdownHook(new Thread(this::flushAll, "distarch-flush"));
            TermSignal.install(() -> {
                if (!context.mustStop()) {
                    // log before asking: the worker may exit as soon as it is asked
                    logger.info("Received SIGTERM, stopping");
                }
                context.requestStop();
            }, logger);
        }
        if (!WorkerEnv.PROTOCOL_VERSION.equals(identity.protocol())) {
            logger.warn("Master speaks worker protocol {}, this worker speaks {}",
                    identity.protocol(), WorkerEnv.PROTOCOL_VERSION);
        }
        StdinWatcher.start(stdin, new StdinWatcher.Listener() {
            @Override
            public void stopAsked() {
                context.requestStop();
            }

            @Override
            public void masterGone() {
                context.markMasterGone();
                startOrphanWatchdog();
            }
        });
        int code;
        try {
            body.run(context);
            flushAll();
            output.writeLine(WorkerLineCodec.ended());
            code = EXIT_OK;
        } catch (CannotStartException cannot) {
            // One line, no stack trace: the master gives the process up with this reason.
            flushAll();
            output.writeLine(WorkerLineCodec.cannotStart(String.valueOf(cannot.getMessage())));
            code = EXIT_FAILED;
        } catch (Throwable failure) {
            flushAll();
            try {
                logger.error("{} failed: {}", name, failure, failure);
            } catch (Throwable ignored) {
                // nothing more to do
            }
            code = EXIT_FAILED;
        } finally {
            finished.countDown();
        }
        flushAll();
        return code;
    }

    private void flushAll() {
        out.flush();
        err.flush();
        output.finish();
    }

    private void startOrphanWatchdog() {
        if (!watchdogStarted.compareAndSet(false, true)) {
            return;
        }
        Thread watchdog = new Thread(() -> {
            try {
                if (finished.await(orphanGrace.toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                logger.error("Master gone (stdin closed) and {} still running after {} s: halting",
                        name, orphanGrace.toMillis() / 1000.0);
                flushAll();
            } catch (Throwable ignored) {
                // the pipes are probably gone with the master
            }
            options.halt().accept(EXIT_ORPHANED);
        }, "distarch-orphan-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void usage(OutputStream stderr, String message) {
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        err.println(message);
        err.flush();
    }
}
