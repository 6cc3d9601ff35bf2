package org.distarch.examples;

import java.time.Duration;
import org.distarch.worker.WorkerCommand;
import org.distarch.worker.WorkerContext;

/** Does a fixed amount of work and ends cleanly: the master logs "Ended" and does not restart it. */
public final class BatchCommand extends WorkerCommand {

    @Override
    public String name() {
        return "demo:batch";
    }

    @Override
    public String description() {
        return "processes a batch of items, then ends";
    }

    @Override
    protected void runWorker(WorkerContext context) {
        int items = ((Number) context.params().getOrDefault("items", 5)).intValue();
        for (int i = 1; i <= items; i++) {
            if (!context.sleep(Duration.ofSeconds(2))) {
                context.logger().warn("stopped after {} of {} items", i - 1, items);
                return;
            }
            System.out.println("item " + i + "/" + items + " processed");
        }
        context.logger().info("batch of {} items complete", items);
    }
}
