package org.distarch.examples;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.distarch.worker.WorkerCommand;
import org.distarch.worker.WorkerContext;

/** Crashes now and then, so that the master's restarts with backoff show in the log. */
public final class FlakyCommand extends WorkerCommand {

    @Override
    public String name() {
        return "demo:flaky";
    }

    @Override
    public String description() {
        return "crashes now and then to show restarts";
    }

    @Override
    protected void runWorker(WorkerContext context) {
        int lifetime = ThreadLocalRandom.current().nextInt(4, 12);
        for (int s = 0; s < lifetime; s++) {
            if (!context.sleep(Duration.ofSeconds(1))) {
                return;
            }
        }
        context.logger().error("simulated failure after {}s", lifetime);
        System.out.flush();
        System.exit(3);
    }
}
