package org.distarch.worker;

import org.distarch.config.GroupConfig;
import org.distarch.config.QueueGroupConfig;
import org.slf4j.Logger;

/**
 * A command that runs as a worker process under a master (the seed's AbstractSlaveCommand).
 *
 * <pre>{@code
 * public final class HelloWorker extends WorkerCommand {
 *     public String name() { return "app:hello"; }
 *
 *     protected void runWorker(WorkerContext context) {
 *         while (context.sleep(Duration.ofSeconds(1))) {        // false once a stop is asked
 *             System.out.println("hello from " + context.id());  // an info line
 *         }
 *     }
 * }
 * }</pre>
 *
 * Run it in the worker process with {@link WorkerRunner#run(WorkerCommand)}.
 */
public abstract class WorkerCommand {

    /** For subclasses: a worker command is the application's own class. */
    protected WorkerCommand() {}

    /** The command's name as used in a group's {@code command:} key, e.g. {@code app:test-command}. */
    public abstract String name();

    /** One line shown in the CLI's command list. */
    public String description() {
        return "";
    }

    /**
     * The worker's work. Return normally once done or once {@link WorkerContext#sleep} returned
     * false / {@link WorkerContext#mustStop()} is true: the worker then ends cleanly (exit 0) and
     * is not restarted. An exception is logged at error level and ends the process with exit 1.
     * Everything written on {@code System.out} or {@code System.err} is an info line of the process.
     */
    protected abstract void runWorker(WorkerContext context) throws Exception;

    /**
     * Called in the master before a group that runs this command starts. Returning false keeps
     * the group from running; say why through the logger.
     */
    public boolean preRunCheck(GroupConfig group, Logger logger) {
        return true;
    }

    /** The same check for a queue group that runs this command (as its feeder and consumers). */
    public boolean preRunCheck(QueueGroupConfig group, Logger logger) {
        return true;
    }
}
