package org.distarch.launch.generation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.distarch.launch.Launcher;
import org.distarch.launch.local.LocalLauncher;
import org.distarch.launch.local.WorkerCgroups;

/**
 * One generation of local workers: those of one master (beside its pid file) or of one relay (beside its lock).
 * {@link #begin} first settles the previous generation ({@link PreviousGeneration}), then opens this one's
 * cgroup tree (where it can) and journal; {@link #launcher()} is the launcher that records every worker in
 * it. Closing removes the journal and the tree once nothing is left in them.
 */
public final class Generation implements AutoCloseable {

    private final WorkerJournal journal;
    private final WorkerCgroups cgroups;
    private final Launcher launcher;

    private Generation(WorkerJournal journal, WorkerCgroups cgroups, Launcher launcher) {
        this.journal = journal;
        this.cgroups = cgroups;
        this.launcher = launcher;
    }

    /**
     * Waits for (or kills) the workers of the previous generation recorded at {@code journalFile}, then starts
     * this one there; call it holding the pid file or lock, before anything starts.
     *
     * @param who whose workers the previous ones were, for the log ("the previous master")
     */
    public static Generation begin(Path journalFile, LocalLauncher local, String who, Consumer<String> info,
            Consumer<String> warn) throws InterruptedException {
        new PreviousGeneration(who, info, warn).settle(journalFile);
        WorkerCgroups.Opened opened = WorkerCgroups.open();
        info.accept(opened.notice());
        WorkerCgroups cgroups = opened.cgroups();
        if (cgroups != null) {
            local.useCgroups(cgroups);
        }
        WorkerJournal journal;
        try {
            journal = WorkerJournal.create(journalFile, cgroups == null ? null : cgroups.root(), GenerationMark.create());
        } catch (IOException e) {
            warn.accept("Cannot write the workers journal " + journalFile + ": " + e
                    + "; should this process be killed, the next one will not know which workers to wait for");
            return new Generation(null, cgroups, local);
        }
        boolean ownGroups = local.ownProcessGroups();
        return new Generation(journal, cgroups, new JournaledLauncher(local, journal, ownGroups, warn));
    }

    /** The launcher to start this generation's workers with. */
    public Launcher launcher() {
        return launcher;
    }

    /** Call once every worker has ended. */
    @Override
    public void close() {
        if (journal != null) {
            journal.close();
        }
        if (cgroups != null) {
            cgroups.close();
        }
    }
}
