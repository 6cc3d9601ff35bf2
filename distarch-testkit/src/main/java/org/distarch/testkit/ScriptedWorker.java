package org.distarch.testkit;

import java.util.List;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.distarch.config.GroupConfig;
import org.distarch.worker.WorkerCommand;
import org.distarch.worker.WorkerContext;

/**
 * A worker whose behaviour a test describes in YAML, as a list of steps in {@code params.script}:
 *
 * <pre>
 * print N          N lines "line 1" … "line N", as fast as possible
 * say TEXT         print TEXT; {id} {groupId} {groupCount} {group} {host} {param:NAME} expanded
 * log LEVEL TEXT   a log line with that level (trace|debug|info|warn|error), placeholders expanded
 * sleep SECONDS    context.sleep; a stop request ends the script (clean end, exit 0)
 * work SECONDS     print "working ID" each second for SECONDS; a stop request ends the script
 * silent SECONDS   sleep without any output or ping (to trigger the master's silence timeout)
 * exit CODE        flush and exit with CODE at once
 * crash            print "crashing", exit 3
 * hang             block forever, ignoring stop requests, without output
 * ignore-term      from now on ignore SIGTERM and stdin "stop" (typically followed by hang)
 * fork-child SECS  start a child "sleep SECS" (sharing stdout/stderr) and print "child PID"
 * garbage          invalid UTF-8, NUL bytes, ANSI escapes and a bare CR on one line, then "after-garbage"
 * huge-line BYTES  BYTES 'x' with no newline, then a newline and "after-huge"
 * pid-file PATH    append this process's pid and a newline to PATH ({id} etc. expanded)
 * </pre>
 *
 * The pre-run check (run in the master) fails when {@code params.pre_run_check} is {@code fail}.
 *
 * A missing script or an unknown / malformed step is logged at error level and exits 4 before
 * any step runs. Launch it as {@code java -cp … org.distarch.testkit.ScriptedWorkerMain}.
 */
public final class ScriptedWorker extends WorkerCommand {

    public static final String NAME = "test:scripted";
    /** Exit code of a bad script. */
    public static final int EXIT_BAD_SCRIPT = 4;

    private final IntConsumer exit;

    public ScriptedWorker() {
        this(System::exit);
    }

    /** For in-process tests: {@code exit} is called instead of {@link System#exit}, then the script ends. */
    ScriptedWorker(IntConsumer exit) {
        this.exit = exit;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Scriptable test worker: runs the steps listed in params.script";
    }

    @Override
    public boolean preRunCheck(GroupConfig group, Logger logger) {
        if ("fail".equals(String.valueOf(group.params().get("pre_run_check")))) {
            logger.error("pre-run check of {} refuses to run", group.name());
            return false;
        }
        return true;
    }

    @Override
    protected void runWorker(WorkerContext context) throws Exception {
        List<Script.Step> steps;
        try {
            steps = Script.parse(context.params().get("script"));
        } catch (IllegalArgumentException e) {
            context.logger().error("Bad script: {}", e.getMessage());
            context.out().flush();
            exit.accept(EXIT_BAD_SCRIPT);
            return;
        }
        new ScriptRun(context, exit).run(steps);
    }
}
