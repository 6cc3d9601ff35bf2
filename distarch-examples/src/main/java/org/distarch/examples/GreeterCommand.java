package org.distarch.examples;

import java.time.Duration;
import java.util.Map;
import org.distarch.config.GroupConfig;
import org.distarch.worker.WorkerCommand;
import org.distarch.worker.WorkerContext;
import org.slf4j.Logger;

/** Shows params reaching a worker, and a pre-run check that the master runs before starting the group. */
public final class GreeterCommand extends WorkerCommand {

    @Override
    public String name() {
        return "demo:greeter";
    }

    @Override
    public String description() {
        return "greets with the group's params";
    }

    @Override
    public boolean preRunCheck(GroupConfig group, Logger logger) {
        if (!group.params().containsKey("greeting")) {
            logger.error("params.greeting is missing");
            return false;
        }
        logger.info("pre-run check passed");
        return true;
    }

    @Override
    protected void runWorker(WorkerContext context) {
        Map<String, Object> params = context.params();
        do {
            System.out.println(params.get("greeting") + ", " + params.get("name") + "! (from " + context.host()
                    + ", instance " + context.id() + ")");
        } while (context.sleep(Duration.ofSeconds(5)));
    }
}
