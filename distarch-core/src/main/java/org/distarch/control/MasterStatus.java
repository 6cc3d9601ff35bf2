package org.distarch.control;

import java.util.List;
import org.distarch.event.ListenerStats;

/**
 * A running master and every process it supervises, as {@code distarch status} shows them, with how each
 * event listener keeps up ({@code listeners}: a listener that lags loses events, and says how many here), and
 * each group's suspension, scheduled restart and rolling restart ({@code groups}), and each remote host's relay
 * with its connection state ({@code relays}: one per group and host, empty without remote entries).
 */
public record MasterStatus(long pid, long startedAtMillis, String config, boolean service,
        List<String> suspendedGroups, List<ProcessStatus> processes, List<ListenerStats> listeners,
        List<GroupStatus> groups, List<RelayStatus> relays) {

    public MasterStatus {
        suspendedGroups = List.copyOf(suspendedGroups);
        processes = List.copyOf(processes);
        listeners = listeners == null ? List.of() : List.copyOf(listeners);
        groups = groups == null ? List.of() : List.copyOf(groups);
        relays = relays == null ? List.of() : List.copyOf(relays);
    }

    public MasterStatus(long pid, long startedAtMillis, String config, boolean service, List<String> suspendedGroups,
            List<ProcessStatus> processes, List<ListenerStats> listeners, List<GroupStatus> groups) {
        this(pid, startedAtMillis, config, service, suspendedGroups, processes, listeners, groups, List.of());
    }

    public MasterStatus(long pid, long startedAtMillis, String config, boolean service, List<String> suspendedGroups,
            List<ProcessStatus> processes, List<ListenerStats> listeners) {
        this(pid, startedAtMillis, config, service, suspendedGroups, processes, listeners, List.of());
    }

    public MasterStatus(long pid, long startedAtMillis, String config, boolean service, List<String> suspendedGroups,
            List<ProcessStatus> processes) {
        this(pid, startedAtMillis, config, service, suspendedGroups, processes, List.of());
    }
}
