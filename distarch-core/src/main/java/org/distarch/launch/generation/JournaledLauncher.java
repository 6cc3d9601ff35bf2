package org.distarch.launch.generation;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.Launcher;
import org.distarch.launch.LineHandler;
import org.distarch.worker.protocol.WorkerEnv;

/**
 * A launcher that records every worker it starts in a {@link WorkerJournal} (and its end), with the stop
 * grace of its group, so that the next master or relay can wait for them should this one die without
 * stopping them; each also carries the generation's mark ({@code DA_GENERATION}), for the one it had no time to
 * list. The records are written on the launcher's threads, never on the supervision thread; only
 * a longer grace than any so far is written where the launch is asked for, ahead of the spawn (once per distinct
 * grace in a generation's life).
 */
public final class JournaledLauncher implements Launcher {

    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    private final Launcher launcher;
    private final WorkerJournal journal;
    private final boolean ownGroups;
    private final Duration grace;
    private final Consumer<String> problem;
    private final AtomicBoolean told;

    /**
     * @param ownGroups whether every worker leads a process group of its own (the local launcher's setsid)
     * @param problem   told once if the journal cannot be written any more
     */
    public JournaledLauncher(Launcher launcher, WorkerJournal journal, boolean ownGroups, Consumer<String> problem) {
        this(launcher, journal, ownGroups, DEFAULT_GRACE, problem, new AtomicBoolean());
    }

    private JournaledLauncher(Launcher launcher, WorkerJournal journal, boolean ownGroups, Duration grace,
            Consumer<String> problem, AtomicBoolean told) {
        this.launcher = launcher;
        this.journal = journal;
        this.ownGroups = ownGroups;
        this.grace = grace;
        this.problem = problem;
        this.told = told;
    }

    @Override
    public Launcher withStopGrace(Duration grace) {
        return grace.equals(this.grace) ? this
                : new JournaledLauncher(launcher, journal, ownGroups, grace, problem, told);
    }

    @Override
    public CompletionStage<LaunchedWorker> launch(LaunchSpec spec, LineHandler output) {
        // Before the spawn, what the next generation needs should this one die before the worker is listed: its
        // grace in the journal, and the mark it is found by in its environment.
        check(journal.graceAtLeast(grace.toMillis()));
        Map<String, String> env = new HashMap<>(spec.environment());
        env.put(WorkerEnv.GENERATION, journal.mark().id());
        return launcher.launch(spec.withEnvironment(env), output).thenApply(worker -> {
            record(spec, worker);
            return worker;
        });
    }

    private void record(LaunchSpec spec, LaunchedWorker worker) {
        long pid = worker.pid();
        // Read at once: the process exists (it was forked), and its start time never changes, even across exec.
        long start = ProcStat.of(pid).map(ProcStat::startTicks).orElse(-1L);
        if (start < 0) {
            return; // already gone
        }
        check(journal.started(new WorkerJournal.Entry(pid, start, ownGroups ? pid : 0, grace.toMillis(),
                identity(spec))));
        worker.exit().whenComplete((status, error) -> check(journal.ended(pid)));
    }

    /** Who the worker is, for the next generation's log: {@code DA_COMMAND} (e.g. {@code Web/2/4}), on one line. */
    private static String identity(LaunchSpec spec) {
        String id = spec.environment().getOrDefault(WorkerEnv.COMMAND, spec.command().get(spec.command().size() - 1));
        return id.replaceAll("[\\p{Cntrl}]", "?");
    }

    private void check(boolean written) {
        if (!written && told.compareAndSet(false, true)) {
            problem.accept("Cannot write the workers journal " + journal.file() + " any more: should this process be "
                    + "killed, the next one will not know which workers to wait for");
        }
    }

    /** The launcher underneath belongs to whoever made it, and is closed by them. */
    @Override
    public void close() {}
}
