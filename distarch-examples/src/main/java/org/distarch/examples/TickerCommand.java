package org.distarch.examples;

import java.time.Duration;
import org.distarch.worker.WorkerCommand;
import org.distarch.worker.WorkerContext;

/** Works in rounds and rests between them; its sleep pings the master, so it never looks silent. */
public final class TickerCommand extends WorkerCommand {

    @Override
    public String name() {
        return "demo:ticker";
    }

    @Override
    public String description() {
        return "works in rounds, pinging the master while it rests";
    }

    @Override
    protected void runWorker(WorkerContext context) {
        int round = 0;
        while (context.sleep(Duration.ofSeconds(3 + context.groupId()))) {
            round++;
            System.out.println("round " + round + " done by worker " + context.groupId() + " of " + context.groupCount());
            if (round % 3 == 0) {
                context.logger().debug("round {} took no time at all", round);
            }
        }
        System.out.println("asked to stop after " + round + " rounds");
    }
}
