package org.distarch.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.distarch.event.DistarchEvent;
import org.distarch.event.MasterEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.QueueEvent;

/**
 * Turns events into history entries: a process event into its transition (the previous state remembered here,
 * per process), a stop also into its exit, a relay's life into its connection states, queue outcomes into
 * per-group totals ({@link #totals}). Output events ({@code process_running}) and the master's heartbeat are not
 * history. One thread only (the writer's listener thread).
 */
final class EventRows {

    private final Map<Integer, String> states = new HashMap<>();
    private final Map<Integer, Integer> attempts = new HashMap<>();
    private final Map<String, long[]> totals = new TreeMap<>();
    private boolean totalsChanged;

    /** The entries {@code event} makes; empty for events the history does not keep. */
    List<HistoryEntry> of(DistarchEvent event) {
        if (event instanceof ProcessEvent p) {
            return process(p);
        }
        if (event instanceof MasterEvent m && m.remote()) {
            String state = m instanceof MasterEvent.Starting ? "CONNECTING"
                    : m instanceof MasterEvent.Started ? "CONNECTED"
                    : m instanceof MasterEvent.Stopped ? "DISCONNECTED" : null;
            if (state == null) {
                return List.of();
            }
            String reason = m instanceof MasterEvent.Stopped s ? s.reason() : null;
            return List.of(new HistoryEntry.Relay(0, 0, m.time(), m.host(), state, reason));
        }
        if (event instanceof QueueEvent q) {
            count(q);
        }
        return List.of();
    }

    private List<HistoryEntry> process(ProcessEvent event) {
        ProcessIdentity p = event.process();
        String to;
        String reason;
        if (event instanceof ProcessEvent.Created) {
            to = "CREATED";
            reason = null;
        } else if (event instanceof ProcessEvent.Starting s) {
            attempts.put(p.id(), s.attempt());
            to = "STARTING";
            reason = s.attempt() == 1 ? null : "attempt " + s.attempt();
        } else if (event instanceof ProcessEvent.Started s) {
            to = "RUNNING";
            reason = "pid " + s.pid();
        } else if (event instanceof ProcessEvent.Stopping s) {
            to = "STOPPING";
            reason = s.reason();
        } else if (event instanceof ProcessEvent.TimedOut t) {
            // a timeout moves RUNNING to STOPPING, with the silence as the reason
            to = "STOPPING";
            reason = "silent for " + t.silence().toSeconds() + " s (timeout " + t.consecutiveTimeouts() + " in a row)";
        } else if (event instanceof ProcessEvent.Stopped s) {
            to = switch (s.outcome()) {
                case ENDED -> "ENDED";
                case STOPPED -> "STOPPED";
                case RESTARTING -> "BACKOFF";
                case FAILED -> "FAILED";
            };
            reason = s.reason();
        } else {
            return List.of(); // Running: output, not a transition
        }
        String from = states.put(p.id(), to);
        List<HistoryEntry> rows = new ArrayList<>(2);
        rows.add(new HistoryEntry.Transition(0, 0, event.time(), p.id(), p.group(), p.groupId(), p.host(),
                p.display(), from, to, reason));
        if (event instanceof ProcessEvent.Stopped s) {
            int restarts = Math.max(0, attempts.getOrDefault(p.id(), 1) - 1);
            rows.add(new HistoryEntry.Exit(0, 0, s.time(), p.id(), p.group(), p.groupId(), p.host(), p.display(),
                    s.exit() == null ? null : s.exit().code(), s.exit() == null ? null : s.exit().signal(),
                    s.outcome().name(), s.reason(), restarts, s.restartIn()));
        }
        return rows;
    }

    private void count(QueueEvent q) {
        long[] t = totals.computeIfAbsent(q.process().group(), g -> new long[3]);
        if (q instanceof QueueEvent.ItemHandled) {
            t[0]++;
        } else if (q instanceof QueueEvent.ItemFailed) {
            t[1]++;
        } else if (q instanceof QueueEvent.ItemReceived r && r.attempt() > 1) {
            t[2]++;
        } else {
            return;
        }
        totalsChanged = true;
    }

    /** Each queue group's totals so far, if any changed since the last call; else nothing. */
    List<HistoryEntry> totals(Instant now) {
        if (!totalsChanged) {
            return List.of();
        }
        totalsChanged = false;
        List<HistoryEntry> rows = new ArrayList<>();
        totals.forEach((group, t) -> rows.add(new HistoryEntry.QueueTotals(0, 0, now, group, t[0], t[1], t[2])));
        return rows;
    }
}
