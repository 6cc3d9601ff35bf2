package org.distarch.admin.api;

import java.time.Clock;
import java.util.List;
import org.distarch.control.ControlPlane;
import org.distarch.control.MasterStatus;
import org.distarch.control.ProcessStatus;

/** The reads: the master, its groups, hosts and processes, and the status as {@code distarch status --json}. */
final class FleetEndpoints {

    private final ControlPlane plane;
    private final Clock clock;

    FleetEndpoints(ControlPlane plane, Clock clock) {
        this.plane = plane;
        this.clock = clock;
    }

    private MasterStatus status() throws InterruptedException {
        return Control.await(plane.status());
    }

    Reply status(Exchange x) throws InterruptedException {
        noParameters(x);
        return Reply.ok(status());
    }

    Reply master(Exchange x) throws InterruptedException {
        noParameters(x);
        return Reply.ok(FleetSummaries.master(status(), clock.millis()));
    }

    Reply groups(Exchange x) throws InterruptedException {
        noParameters(x);
        return Reply.ok(FleetSummaries.groups(status()));
    }

    Reply hosts(Exchange x) throws InterruptedException {
        noParameters(x);
        return Reply.ok(FleetSummaries.hosts(status()));
    }

    Reply processes(Exchange x) throws InterruptedException {
        return Reply.ok(ProcessRows.page(status().processes(), x.query(), clock.millis()));
    }

    Reply process(Exchange x) throws InterruptedException {
        noParameters(x);
        int id = processId(x.path().get("id"));
        List<ProcessStatus> processes = status().processes();
        return processes.stream().filter(p -> p.id() == id).findFirst()
                .map(p -> Reply.ok(ProcessRows.item(p, clock.millis())))
                .orElseThrow(() -> ApiException.notFound("no process with id " + id + "; ids are 1 to "
                        + processes.stream().mapToInt(ProcessStatus::id).max().orElse(0)));
    }

    static int processId(String text) {
        try {
            int id = Integer.parseInt(text);
            if (id < 1) {
                throw ApiException.badRequest("a process id is a whole number from 1 (got \"" + text + "\")");
            }
            return id;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("a process id is a whole number from 1 (got \"" + text + "\")");
        }
    }

    private static void noParameters(Exchange x) {
        if (!x.query().isEmpty()) {
            throw ApiException.badRequest("unknown parameter \"" + x.query().keySet().iterator().next() + "\"");
        }
    }
}
