package org.distarch.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distarch.control.GroupStatus;
import org.distarch.control.RolloutStatus;
import org.distarch.control.socket.ControlRequest;
import org.distarch.control.socket.ControlResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "restart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Restarts the processes named: each running one is stopped gracefully (its group's "
                + "stop_timeout) and started again at once, not counted as a failure; one waiting to restart, ended "
                + "or given up starts now. Processes an operator stopped and suspended groups are left alone.",
            "",
            "--rolling GROUP restarts the group a few processes at a time (--batch, default its rolling_batch), each "
                + "next batch only once the new processes have run healthy (alive, not crashed, not timed out) for "
                + "--healthy-for (default its rolling_healthy_time), so the group never drops below its count "
                + "minus the batch: the way to pick up a new version without downtime. A new process that fails "
                + "halts it; the others keep their old version. status shows its progress."},
        footer = {"", "Exit codes: 0 done (or begun), 1 refused, or with --wait the rolling restart halted or was "
                + "aborted; 2 no master answered or bad usage."})
final class RestartCommand implements Callable<Integer> {

    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)?");

    @Mixin
    ControlSocketOption master;

    @Parameters(arity = "0..1", paramLabel = "TARGET", description = TargetOptions.TARGET)
    String target;

    @Mixin
    TargetOptions processes;

    @Option(names = "--rolling", paramLabel = "GROUP", description = "A rolling restart of this group.")
    String rolling;

    @Option(names = "--batch", paramLabel = "N", description = "With --rolling: processes restarted at once.")
    Integer batch;

    @Option(names = "--healthy-for", paramLabel = "DURATION", description = "With --rolling: how long each new "
            + "process must run healthy before the next batch, e.g. 10s, 2m, 500ms, 0.")
    String healthyFor;

    @Option(names = "--wait", description = "With --rolling: wait until it is over, printing its progress.")
    boolean await;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (rolling == null) {
            if (batch != null || healthyFor != null || await) {
                throw usage("--batch, --healthy-for and --wait go with --rolling GROUP");
            }
            return master.act(ControlRequest.on("restart", processes.with(target).resolve(), false, false, null));
        }
        if (processes.with(target).given()) {
            throw usage("--rolling names its group: give no TARGET, --host or --all with it");
        }
        if (batch != null && batch < 1) {
            throw usage("--batch must be at least 1 (got " + batch + ")");
        }
        Long healthyMillis = healthyFor == null ? null : millis(healthyFor);
        long began = System.currentTimeMillis();
        int code = master.act(new ControlRequest("rolling-restart", rolling, false, false, null, null, false, null,
                batch, healthyMillis));
        return code != 0 || !await ? code : await(began);
    }

    /** Follows the group's rollout through status until it has ended; prints each new progress line. */
    private int await(long began) throws InterruptedException {
        String last = null;
        while (true) {
            ControlResponse response = master.send(ControlRequest.of("status"));
            if (response == null || response.status() == null) {
                return ExitCodes.NO_MASTER;
            }
            RolloutStatus r = response.status().groups().stream().filter(g -> g.name().equals(rolling))
                    .map(GroupStatus::rollout).filter(Objects::nonNull).findFirst().orElse(null);
            if (r == null || r.startedAtMillis() < began - 5_000) {
                System.err.println("the master shows no rolling restart of group \"" + rolling + "\"");
                return ExitCodes.FAILED;
            }
            String line = r.state().toLowerCase(Locale.ROOT) + ": " + r.message();
            if (!line.equals(last)) {
                (r.state().equals("HALTED") || r.state().equals("ABORTED") ? System.err : System.out).println(line);
                last = line;
            }
            if (!r.state().equals("RUNNING")) {
                return r.state().equals("DONE") ? 0 : ExitCodes.FAILED;
            }
            Thread.sleep(500); // an operator's command following a rollout of seconds to minutes
        }
    }

    private long millis(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw usage("--healthy-for must be a duration such as 10s, 2m, 500ms or 0 (got \"" + text + "\")");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> n;
            case "m" -> Duration.ofMinutes(n).toMillis();
            case "h" -> Duration.ofHours(n).toMillis();
            default -> Duration.ofSeconds(n).toMillis();
        };
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
