package org.distarch.control;

import java.util.List;

/** A running master and every process it supervises, as {@code distarch status} shows them. */
public record MasterStatus(long pid, long startedAtMillis, String config, boolean service,
        List<String> suspendedGroups, List<ProcessStatus> processes) {

    public MasterStatus {
        suspendedGroups = List.copyOf(suspendedGroups);
        processes = List.copyOf(processes);
    }
}
