package org.distarch.master;

import java.time.Duration;
import org.distarch.event.ProcessIdentity;
import org.distarch.supervise.InstancePlan;

/**
 * One step of a {@link Reconciler} plan. Start-up, suspend, resume, a service's new cycle, reload and shutdown
 * are all lists of these, applied by {@link FleetRunner#apply} in the same way.
 */
sealed interface Change {

    String reason();

    /** One line for {@code reload --dry-run} and the log. */
    String describe();

    /** A new instance joins the fleet and starts (unless its group is suspended). */
    record Start(InstancePlan plan, String reason) implements Change {
        @Override
        public String describe() {
            return "+ start   " + prefix(plan.identity()) + " (" + reason + ")";
        }
    }

    /**
     * An instance leaves the fleet: stopped with its group's grace, then removed. With {@code afterFeeder} (a
     * consumer whose feeder leaves in the same plan) it is asked to stop only once that feeder has stopped.
     */
    record Stop(ProcessIdentity process, String reason, boolean afterFeeder) implements Change {
        @Override
        public String describe() {
            return "- stop    " + prefix(process) + " (" + reason + afterItsFeeder(afterFeeder) + ")";
        }
    }

    /**
     * An instance is replaced by a new version of itself, started once the old one has stopped. With
     * {@code afterFeeder} (a consumer whose feeder is replaced in the same plan) the old one is asked to stop
     * only once that feeder has stopped.
     */
    record Replace(ProcessIdentity old, InstancePlan plan, String reason, boolean afterFeeder) implements Change {
        @Override
        public String describe() {
            return "~ restart " + prefix(plan.identity()) + " (" + reason + afterItsFeeder(afterFeeder) + ")";
        }
    }

    /**
     * An instance stops and stays in the fleet, stopped (suspend, shutdown); killed after {@code grace}, with
     * {@code killMessage} in the log then (null: "did not stop within N s, force kill"). With {@code afterFeeder}
     * (a consumer whose feeder halts in the same plan) it is asked to stop only once that feeder has stopped.
     */
    record Halt(ProcessIdentity process, String reason, Duration grace, String killMessage, boolean afterFeeder)
            implements Change {
        @Override
        public String describe() {
            return "- halt    " + prefix(process) + " (" + reason + afterItsFeeder(afterFeeder) + ")";
        }
    }

    /** A stopped, ended or given-up instance starts again with clean budgets (resume, a service's new cycle). */
    record Revive(ProcessIdentity process, String reason) implements Change {
        @Override
        public String describe() {
            return "+ revive  " + prefix(process) + " (" + reason + ")";
        }
    }

    /**
     * An operator's stop: the instance stops (killed after {@code grace}) and is held down, {@code held} saying
     * why, until a {@link Release}. With {@code afterFeeder} (a consumer whose feeder is stopped with it) it is
     * held at once and asked to stop once that feeder has stopped, unless released by then.
     */
    record Hold(ProcessIdentity process, String reason, Duration grace, String held, boolean afterFeeder)
            implements Change {
        @Override
        public String describe() {
            return "- stop    " + prefix(process) + " (" + reason + afterItsFeeder(afterFeeder) + ")";
        }
    }

    /** An operator's start: the hold is lifted and the instance starts now, with clean budgets. */
    record Release(ProcessIdentity process, String reason) implements Change {
        @Override
        public String describe() {
            return "+ start   " + prefix(process) + " (" + reason + ")";
        }
    }

    /**
     * The instance restarts in place: a running one is stopped with its group's grace and started again at once
     * (not a failure); one that does not run starts now with clean budgets. With {@code afterFeeder} (a consumer
     * whose running feeder restarts in the same plan) only once that feeder's process has stopped.
     */
    record Restart(ProcessIdentity process, String reason, boolean afterFeeder) implements Change {
        @Override
        public String describe() {
            return "~ restart " + prefix(process) + " (" + reason + afterItsFeeder(afterFeeder) + ")";
        }
    }

    /** An operator's signal to the instance's running process. */
    record Signal(ProcessIdentity process, String signal, String reason) implements Change {
        @Override
        public String describe() {
            return "! SIG" + signal + " " + prefix(process) + " (" + reason + ")";
        }
    }

    private static String afterItsFeeder(boolean afterFeeder) {
        return afterFeeder ? ", after its feeder" : "";
    }

    static String prefix(ProcessIdentity p) {
        return "[" + p.group() + "] [" + p.host() + "] [" + p.display() + "]";
    }
}
