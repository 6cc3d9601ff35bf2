package org.distarch.master;

import org.distarch.event.ProcessIdentity;
import org.distarch.supervise.InstancePlan;

/** One step of a reload: start a new instance, stop one, or replace one by a new version of itself. */
public sealed interface Change {

    String reason();

    /** One line for {@code reload --dry-run}. */
    String describe();

    record Start(InstancePlan plan, String reason) implements Change {
        @Override
        public String describe() {
            return "+ start   " + prefix(plan.identity()) + " (" + reason + ")";
        }
    }

    record Stop(ProcessIdentity process, String reason) implements Change {
        @Override
        public String describe() {
            return "- stop    " + prefix(process) + " (" + reason + ")";
        }
    }

    record Replace(ProcessIdentity old, InstancePlan plan, String reason) implements Change {
        @Override
        public String describe() {
            return "~ restart " + prefix(plan.identity()) + " (" + reason + ")";
        }
    }

    private static String prefix(ProcessIdentity p) {
        return "[" + p.group() + "] [" + p.host() + "] [" + p.display() + "]";
    }
}
