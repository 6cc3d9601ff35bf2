package org.distarch.launch.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends signals to process groups from a thread of its own, so that no caller ever waits for a fork.
 * Java can signal one pid but not a group, so a group signal runs {@code kill -SIG -- -PGID}; requests that
 * queue up while one {@code kill} runs go out together in the next one ({@code kill -TERM -- -1 -2 -3 …}),
 * which is what makes stopping a thousand workers one fork instead of a thousand.
 */
final class ProcessSignaller implements AutoCloseable {

    /** Longer command lines are split; Linux allows far more, this keeps each kill quick. */
    private static final int MAX_TARGETS_PER_KILL = 2000;

    private record Request(String signal, long group) {}

    /** Kill a process and every descendant, including those that left its group (a daemon's {@code setsid}). */
    private record KillTree(ProcessHandle root) {}

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private static final Object STOP = new Object();

    private final String killProgram;

    ProcessSignaller() {
        this("kill");
    }

    /** @param killProgram the {@code kill} to run (tests give a slow one, to show that nobody waits for it) */
    ProcessSignaller(String killProgram) {
        this.killProgram = killProgram;
        thread = new Thread(this::run, "distarch-signaller");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code signal} (e.g. "TERM", "KILL") for the process group led by {@code group}; returns at once. */
    void signalGroup(String signal, long group) {
        queue.add(new Request(signal, group));
    }

    /** Queues a SIGKILL for {@code root} and all its descendants, found from one /proc scan per batch. */
    void killTree(ProcessHandle root) {
        queue.add(new KillTree(root));
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
                Map<String, Set<Long>> bySignal = new LinkedHashMap<>();
                List<ProcessHandle> trees = new ArrayList<>();
                boolean stop = false;
                for (Object item : batch) {
                    if (item == STOP) {
                        stop = true;
                    } else if (item instanceof KillTree k) {
                        trees.add(k.root());
                    } else {
                        Request r = (Request) item;
                        bySignal.computeIfAbsent(r.signal(), s -> new LinkedHashSet<>()).add(r.group());
                    }
                }
                batch.clear();
                // TERM before KILL: a stop asked for just before a kill must not arrive after it.
                bySignal.forEach(this::kill);
                killTrees(trees);
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
        Map<Long, List<ProcessHandle>> children = new java.util.HashMap<>();
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

    private void kill(String signal, Set<Long> groups) {
        List<Long> all = new ArrayList<>(groups);
        for (int from = 0; from < all.size(); from += MAX_TARGETS_PER_KILL) {
            List<String> command = new ArrayList<>(List.of(killProgram, "-" + signal, "--"));
            for (long g : all.subList(from, Math.min(all.size(), from + MAX_TARGETS_PER_KILL))) {
                command.add("-" + g);
            }
            try {
                Process kill = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                // Groups already gone make kill complain and exit 1; the others were still signalled.
                if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                    kill.destroyForcibly();
                }
            } catch (IOException e) {
                // No kill program: LocalWorker falls back to signalling pids itself when it has no group.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
