package org.distarch.it.seed;

import java.time.Duration;
import java.util.Map;
import org.distarch.config.GroupConfig;
import org.distarch.worker.WorkerCommand;
import org.distarch.worker.WorkerContext;
import org.slf4j.Logger;

/**
 * The seed README's {@code TestCommand} ({@code app:test-command}, and {@code app:test-command-2} for its
 * Second Group), ported to Java as a user would, with the public API only.
 *
 * <p>The seed's {@code if (!$handler) { echo "Not executed in distributed-architecture"; die(1); }} has no
 * Java counterpart in the command: run by hand (no master), distarch never calls {@link #runWorker}; it says
 * that the command runs under a master and exits non-zero itself.
 *
 * <p>The seed's pre-run check example: a group whose params hold {@code PreRunCheck: fail} is refused (the
 * seed's {@code $this->someCheck()} returning false); every other group passes.
 */
public final class SeedTestCommand extends WorkerCommand {

    private final String name;

    /** {@code app:test-command}, as in the seed. */
    public SeedTestCommand() {
        this("app:test-command");
    }

    /** The same worker under another name (the seed's Second Group runs {@code app:test-command-2}). */
    public SeedTestCommand(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "Do the work load";
    }

    @Override
    protected void runWorker(WorkerContext context) {
        Map<String, Object> params = context.params();
        // sleep returns false once the master asked us to stop.
        while (context.sleep(Duration.ofSeconds(1))) {
            // Anything printed here is an info line of this process for the master;
            // context.logger() gives other levels.
            System.out.println(params.get("Param1") + " " + params.get("Param2"));
        }
    }

    @Override
    public boolean preRunCheck(GroupConfig group, Logger logger) {
        if ("fail".equals(String.valueOf(group.params().get("PreRunCheck")))) {
            logger.error("{} refuses to run: PreRunCheck is fail", group.name());
            return false; // not ok: the master will not run this group
        }
        return true; // everything is ok, proceed
    }
}
