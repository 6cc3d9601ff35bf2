package org.distarch.master;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.distarch.instance.InstanceState;
import org.distarch.supervise.InstanceSupervisor;

/**
 * {@code max_memory}: samples the resident memory of each running instance whose group sets a limit, and
 * restarts it gracefully (local or remote alike) once it was above the limit for {@link #SAMPLES_OVER} samples in a row (a short
 * peak is not a leak). Runs on the supervision thread.
 */
final class MemoryWatch {

    static final Duration INTERVAL = Duration.ofSeconds(2);
    static final int SAMPLES_OVER = 3;

    private final Map<InstanceSupervisor, Integer> over = new HashMap<>();

    void sample(List<InstanceSupervisor> instances) {
        over.keySet().retainAll(instances);
        for (InstanceSupervisor s : instances) {
            Long limit = s.plan().maxMemoryBytes();
            if (limit == null || s.state() != InstanceState.RUNNING) {
                over.remove(s);
                continue;
            }
            // Local processes are measured now; a remote one as its host's relay last sampled it.
            long rss = s.usage().rssBytes();
            if (rss <= limit) {
                over.remove(s);
            } else if (over.merge(s, 1, Integer::sum) >= SAMPLES_OVER) {
                over.remove(s);
                s.restart("memory " + mebibytes(rss) + " above max_memory " + mebibytes(limit) + " for "
                        + SAMPLES_OVER * INTERVAL.toSeconds() + "s, restarting");
            }
        }
    }

    private static String mebibytes(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
