package org.distarch.worker;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;

/** What a running worker knows about itself and how it talks to its master. Thread-safe. */
public interface WorkerContext {

    /** Global id of this instance, 1, 2, 3… across all groups. */
    int id();

    /** Id inside the group, 1…{@link #groupCount()}. */
    int groupId();

    /** Number of instances in the group, local and remote together. */
    int groupCount();

    /** The group's name; the same as {@code group().name()}. */
    String groupName();

    /**
     * The configuration of this worker's group as the master passed it: name, command, path, bin path,
     * priority, timeout and params (empty where the configuration sets nothing).
     */
    GroupView group();

    /** Host name as configured; {@code localhost} for a local instance. */
    String host();

    /**
     * The group's {@code params} ({@code group().params()}), in configuration order: String, Number, Boolean, List and Map
     * values. Unmodifiable.
     */
    Map<String, Object> params();

    /**
     * The environment the master started this worker with: the process's own, or the map given to an
     * in-process run. Queue groups read their settings here ({@code QueueEnv}).
     */
    Map<String, String> environment();

    /** Silence after which the master times this worker out ({@code group().timeout()}). */
    Duration timeout();

    /** A logger whose lines reach the master with their level. All levels are enabled. */
    Logger logger();

    /**
     * The worker's standard output, line-synchronized with the logger's lines.
     * When run by {@link WorkerRunner#run(WorkerCommand)} it is {@code System.out}.
     */
    PrintStream out();

    /**
     * Sleeps up to {@code duration}. Returns false as soon as a stop was asked (at once if it
     * already was, or if the thread is interrupted), true after a full sleep. Pings the master
     * while sleeping so that a long sleep never looks silent.
     */
    boolean sleep(Duration duration);

    /**
     * True once a stop was asked: by the master (stdin {@code stop}, SIGTERM or stdin closed) or by the
     * worker itself ({@link #stopSelf()}).
     */
    boolean mustStop();

    /**
     * The worker asks itself to stop, exactly as if the master had: from then on {@link #sleep} returns
     * false, {@link #mustStop()} and {@link #awaitStop} return true ({@link #masterGone()} stays false).
     * Callable from any thread, any number of times. The worker's loop then ends and, once
     * {@code runWorker} returns, it ends cleanly ({@code @@distarch ended}, exit 0): the master logs
     * it as ended and does not restart it. Nothing is sent to the master until then.
     */
    void stopSelf();

    /**
     * Waits until a stop is asked, up to {@code timeout}, without pinging the master (unlike {@link #sleep}):
     * for a thread that only watches for the stop while others do the work. True once a stop was asked.
     */
    boolean awaitStop(Duration timeout) throws InterruptedException;

    /** Tells the master this worker is alive, at most once a second; cheap to call in a loop. */
    void ping();

    /** True once stdin was closed: the master is gone and this worker must stop at once. */
    boolean masterGone();
}
