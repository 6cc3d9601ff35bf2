package org.distarch.launch.local;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Signals for local workers, without forking {@code kill}: a group signal is one kill(2) call, which never
 * blocks, so a stop of a thousand workers is a thousand system calls on the caller's thread. Killing a whole tree
 * (descendants that left the group too) needs a scan of /proc, which takes a while with many processes: that runs
 * on a thread of its own, one scan for every request that queued meanwhile.
 */
final class ProcessSignaller implements AutoCloseable {

    private static final int ESRCH = 3;

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private static final Object STOP = new Object();

    ProcessSignaller() {
        thread = new Thread(this::run, "distarch-signaller");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Sends {@code signal} (a {@link org.distarch.launch.SignalName}, e.g. "TERM") to the process group led by
     * {@code group}, now; false when the group is gone.
     */
    static boolean signalGroup(String signal, long group) {
        if (Libc.kill((int) -group, Libc.signalNumber(signal)) == 0) {
            return true;
        }
        return Libc.errno() != ESRCH;
    }

    /** Queues a SIGKILL for {@code root} and all its descendants, found from one /proc scan per batch. */
    void killTree(ProcessHandle root) {
        queue.add(root);
    }

    @Override
    public void close() {
        queue.add(STOP);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Object> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch);
                boolean stop = batch.remove(STOP);
                List<ProcessHandle> roots = new ArrayList<>();
                batch.forEach(item -> roots.add((ProcessHandle) item));
                batch.clear();
                killTrees(roots);
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void killTrees(List<ProcessHandle> roots) {
        if (roots.isEmpty()) {
            return;
        }
        // ProcessHandle.descendants() scans all of /proc each time; one scan serves the whole batch.
        java.util.Map<Long, List<ProcessHandle>> children = new java.util.HashMap<>();
        ProcessHandle.allProcesses().forEach(p -> p.parent().ifPresent(parent ->
                children.computeIfAbsent(parent.pid(), k -> new ArrayList<>()).add(p)));
        for (ProcessHandle root : roots) {
            List<ProcessHandle> tree = new ArrayList<>();
            java.util.ArrayDeque<ProcessHandle> todo = new java.util.ArrayDeque<>(List.of(root));
            while (!todo.isEmpty()) {
                ProcessHandle p = todo.poll();
                tree.add(p);
                todo.addAll(children.getOrDefault(p.pid(), List.of()));
            }
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
