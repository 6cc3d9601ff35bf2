package org.distarch.launch.local;

import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread that watches every local worker, with one {@code epoll} set: the read ends of their stdout
 * and stderr pipes, and a pidfd per worker that becomes readable when it exits (then it is reaped with
 * {@code waitpid}). Bytes go to the pipe's {@link WorkerPipe}; lines are cut and handed on by a small fixed pool
 * of line threads, so the number of threads does not grow with the number of workers. Nothing on this thread
 * blocks but {@code epoll_wait}, whose timeout is the nearest drain deadline, so an idle fleet costs no wake-ups.
 */
final class OutputLoop implements AutoCloseable {

    /** Line threads: enough that a few workers held by a slow consumer do not delay the others' lines. */
    static final int LINE_THREADS = 4;
    private static final int READ_BYTES = 64 * 1024;
    private static final int MAX_EVENTS = 64;
    /** Without pidfds (Linux before 5.3), exits are found by a sweep this often. */
    private static final int SWEEP_MILLIS = 200;

    private final int epoll;
    private final int wakeup;
    /** What each watched descriptor is: a {@link WorkerPipe} or (its pidfd) a {@link LocalWorker}. */
    private final Map<Integer, Object> watched = new ConcurrentHashMap<>();
    /** Workers whose exit no pidfd tells (loop thread after hand-over). */
    private final ConcurrentLinkedQueue<LocalWorker> noPidfd = new ConcurrentLinkedQueue<>();
    /** Exited workers whose pipes are still open (loop thread only). */
    private final List<LocalWorker> draining = new ArrayList<>();
    private final ExecutorService lineThreads;
    private final Thread thread;
    private volatile boolean closing;

    OutputLoop() {
        epoll = Libc.epoll_create1(Libc.O_CLOEXEC);
        wakeup = Libc.eventfd(0, Libc.O_CLOEXEC | Libc.O_NONBLOCK);
        if (epoll < 0 || wakeup < 0) {
            throw new IllegalStateException("cannot watch child processes: " + Libc.strerror(Libc.errno()));
        }
        watch(wakeup, this);
        AtomicInteger n = new AtomicInteger();
        lineThreads = Executors.newFixedThreadPool(LINE_THREADS, r -> {
            Thread t = new Thread(r, "distarch-lines-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        thread = new Thread(this::run, "distarch-output");
        thread.setDaemon(true);
        thread.start();
    }

    java.util.concurrent.Executor lineThreads() {
        return lineThreads;
    }

    /** Any thread: starts watching a new worker's pipes and its exit. */
    void add(LocalWorker worker, WorkerPipe out, WorkerPipe err, int pidfd) {
        watched.put(out.fd, out);
        watched.put(err.fd, err);
        watch(out.fd, out);
        watch(err.fd, err);
        if (pidfd >= 0) {
            watched.put(pidfd, worker);
            watch(pidfd, worker);
        } else {
            noPidfd.add(worker);
            wake();
        }
    }

    /** Watches {@code fd} for reading (again). */
    void watch(int fd, Object what) {
        Memory event = new Memory(Libc.EPOLL_EVENT_SIZE);
        event.clear();
        event.setInt(0, Libc.EPOLLIN);
        event.setInt(Libc.EPOLL_DATA_OFFSET, fd);
        if (Libc.epoll_ctl(epoll, Libc.EPOLL_CTL_ADD, fd, event) != 0) {
            throw new IllegalStateException("cannot watch descriptor " + fd + " of " + what + ": "
                    + Libc.strerror(Libc.errno()));
        }
    }

    /** Stops watching {@code fd} (still open). */
    void unwatch(int fd) {
        Libc.epoll_ctl(epoll, Libc.EPOLL_CTL_DEL, fd, null);
    }

    int watchedDescriptors() {
        return watched.size();
    }

    @Override
    public void close() {
        closing = true;
        wake();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lineThreads.shutdown();
        try {
            lineThreads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void wake() {
        Libc.write(wakeup, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8);
    }

    private void run() {
        Memory events = new Memory((long) Libc.EPOLL_EVENT_SIZE * MAX_EVENTS);
        Memory buffer = new Memory(READ_BYTES);
        try {
            while (!closing) {
                int n = Libc.epoll_wait(epoll, events, MAX_EVENTS, timeout());
                for (int i = 0; i < n; i++) {
                    int fd = events.getInt((long) i * Libc.EPOLL_EVENT_SIZE + Libc.EPOLL_DATA_OFFSET);
                    try {
                        handle(fd, buffer);
                    } catch (RuntimeException e) {
                        // One worker's trouble (say, a line thread pool that refuses work while closing) must not
                        // end the loop that every other worker's output and exit depend on.
                    }
                }
                sweepWithoutPidfd();
                expireDrains();
            }
        } finally {
            // Closing: give every pipe its end, so that lines already read are still handed on.
            for (Object what : watched.values()) {
                if (what instanceof WorkerPipe pipe) {
                    pipe.end();
                }
            }
            watched.keySet().forEach(fd -> {
                if (!(watched.get(fd) instanceof WorkerPipe)) {
                    Libc.close(fd);
                }
            });
            watched.clear();
            Libc.close(wakeup);
            Libc.close(epoll);
        }
    }

    private void handle(int fd, Memory buffer) {
        Object what = watched.get(fd);
        if (fd == wakeup) {
            Libc.read(wakeup, buffer, 8);
        } else if (what instanceof WorkerPipe pipe) {
            read(pipe, buffer);
        } else if (what instanceof LocalWorker worker) {
            watched.remove(fd);
            unwatch(fd);
            Libc.close(fd);
            reaped(worker);
        }
    }

    private int timeout() {
        long now = System.nanoTime();
        long wait = noPidfd.isEmpty() ? -1 : SWEEP_MILLIS;
        for (LocalWorker w : draining) {
            long ms = Math.max(0, (w.drainDeadline() - now) / 1_000_000 + 1);
            wait = wait < 0 ? ms : Math.min(wait, ms);
        }
        return (int) Math.min(wait, Integer.MAX_VALUE);
    }

    private void read(WorkerPipe pipe, Memory buffer) {
        long n = Libc.read(pipe.fd, buffer, READ_BYTES);
        if (n > 0) {
            pipe.push(buffer.getByteArray(0, (int) n));
        } else if (n == 0 || Libc.errno() != Libc.EAGAIN && Libc.errno() != Libc.EINTR) {
            end(pipe);
        }
    }

    /** Forgets and closes the pipe, once: its descriptor's number may soon name another pipe. */
    private void end(WorkerPipe pipe) {
        if (watched.remove(pipe.fd, pipe)) {
            pipe.end();
        }
    }

    private void reaped(LocalWorker worker) {
        if (worker.reap()) {
            if (!worker.pipesClosed()) {
                draining.add(worker);
            }
        } else {
            noPidfd.add(worker); // not reapable yet: should not happen with a pidfd, but never lose an exit
        }
    }

    private void sweepWithoutPidfd() {
        for (Iterator<LocalWorker> it = noPidfd.iterator(); it.hasNext(); ) {
            LocalWorker worker = it.next();
            if (worker.reap()) {
                it.remove();
                if (!worker.pipesClosed()) {
                    draining.add(worker);
                }
            }
        }
    }

    /**
     * A worker that exited while a child of it still holds its pipes is given up on after the drain time, unless a
     * pipe is paused by back-pressure: then what waits is our consumer, not the child, and nothing is cut.
     */
    private void expireDrains() {
        long now = System.nanoTime();
        for (Iterator<LocalWorker> it = draining.iterator(); it.hasNext(); ) {
            LocalWorker worker = it.next();
            if (worker.pipesClosed()) {
                it.remove();
            } else if (now >= worker.drainDeadline()) {
                if (worker.anyPipePaused()) {
                    worker.extendDrain();
                } else {
                    worker.pipes().forEach(this::end);
                    it.remove();
                }
            }
        }
    }
}
