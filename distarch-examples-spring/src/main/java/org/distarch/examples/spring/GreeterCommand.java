package org.distarch.examples.spring;

import java.time.Duration;
import org.distarch.worker.WorkerCommand;
import org.distarch.worker.WorkerContext;
import org.springframework.stereotype.Component;

/** A worker command as a bean: the master runs it in its own process, with the application's services injected. */
@Component
public class GreeterCommand extends WorkerCommand {

    private final Greetings greetings;

    public GreeterCommand(Greetings greetings) {
        this.greetings = greetings;
    }

    @Override
    public String name() {
        return "app:greet";
    }

    @Override
    public String description() {
        return "greets every second and keeps a journal of it";
    }

    @Override
    protected void runWorker(WorkerContext context) {
        String name = String.valueOf(context.params().getOrDefault("name", "world"));
        int round = 0;
        do {
            String line = greetings.greet(name) + " (worker " + context.groupId() + " of " + context.groupCount()
                    + ", round " + ++round + ")";
            greetings.record(line);
            System.out.println(line);
        } while (context.sleep(Duration.ofSeconds(1)));
    }
}
