package org.distarch.master;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.distarch.control.ControlResult;
import org.distarch.control.RollingOptions;
import org.distarch.control.Target;
import org.distarch.event.ProcessIdentity;
import org.distarch.launch.SignalName;
import org.distarch.worker.protocol.LogLevel;

/**
 * An operator's requests on chosen processes ({@link Target}): start, stop, restart, signal, and a group's rolling
 * restart. Each is a {@link Reconciler} decision applied by the {@link FleetRunner}, logged with what it did to
 * which process, and answered with the same lines. Runs on the supervision thread.
 */
final class ProcessControl {

    private final FleetRunner runner;
    private final Fleet fleet;
    private final OperatorState persisted;

    ProcessControl(FleetRunner runner, OperatorState persisted) {
        this.runner = runner;
        this.fleet = runner.fleet();
        this.persisted = persisted;
    }

    ControlResult start(Target target) {
        String refusal = refusal("Start", target);
        if (refusal != null) {
            return ControlResult.refused(refusal);
        }
        List<Reconciler.Member> chosen = select(target);
        Reconciler.Decision d = Reconciler.start(chosen, fleet.suspended(), "started by operator");
        String problem = persisted.start(ids(chosen));
        runner.apply(d.changes());
        return answer("Start of " + target.describe() + ": " + count(d.changes().size()) + " started", d, problem);
    }

    ControlResult stop(Target target, boolean force, boolean persist) {
        String refusal = refusal("Stop", target);
        if (refusal == null && persist && !persisted.enabled()) {
            refusal = "Stop refused: this master has no state file to persist to (it has no pid file); nothing was done";
        }
        if (refusal != null) {
            return ControlResult.refused(refusal);
        }
        List<Reconciler.Member> chosen = select(target);
        String held = persist ? Reconciler.STOPPED_PERSISTED : Reconciler.STOPPED_BY_OPERATOR;
        Reconciler.Decision d = Reconciler.stop(chosen, "stopped by operator",
                p -> force ? Duration.ZERO : p.stopTimeout(), held);
        String problem = persist ? persisted.stop(ids(chosen)) : null;
        runner.apply(d.changes());
        runner.checkDone();
        return answer("Stop of " + target.describe() + ": " + count(d.changes().size())
                + (force ? " killed" : " asked to stop") + ", held until start" + (persist ? " (persisted: "
                + "they stay stopped when the master starts again)" : ""), d, problem);
    }

    ControlResult restart(Target target) {
        String refusal = refusal("Restart", target);
        if (refusal != null) {
            return ControlResult.refused(refusal);
        }
        Reconciler.Decision d = Reconciler.restart(select(target), fleet.suspended(), "restarted by operator");
        runner.apply(d.changes());
        return answer("Restart of " + target.describe() + ": " + count(d.changes().size()) + " restarted", d, null);
    }

    ControlResult signal(Target target, String signal) {
        String name;
        try {
            name = SignalName.of(signal);
        } catch (IllegalArgumentException e) {
            return ControlResult.refused("Signal refused: " + e.getMessage() + "; nothing was done");
        }
        String refusal = refusal("Signal", target);
        if (refusal != null) {
            return ControlResult.refused(refusal);
        }
        Reconciler.Decision d = Reconciler.signal(select(target), name, "sent by operator");
        List<String> sent = new ArrayList<>();
        for (Change c : d.changes()) {
            fleet.byId(((Change.Signal) c).process().id())
                    .ifPresent(s -> sent.add(c.describe().replace(" (sent by operator)", " pid " + s.pid())));
        }
        runner.apply(d.changes());
        List<String> lines = new ArrayList<>(sent);
        lines.addAll(d.skipped());
        String message = "Sent SIG" + name + " to " + count(d.changes().size()) + " of " + target.describe()
                + (d.skipped().isEmpty() ? "" : ", " + d.skipped().size() + " left alone");
        log(message, lines);
        return new ControlResult(!d.changes().isEmpty(), message, lines);
    }

    ControlResult rollingRestart(String group, RollingOptions options) {
        if (group == null) {
            return ControlResult.refused("Rolling restart refused: name the group; groups: "
                    + String.join(", ", fleet.groups()));
        }
        Rollouts.Begun begun = runner.rollouts().restart(group, "operator", options.batch(), options.healthyFor());
        if (begun.refusal() != null) {
            return ControlResult.refused("Rolling restart of group \"" + group + "\" refused: " + begun.refusal());
        }
        var status = begun.rollout().status();
        List<String> details = new ArrayList<>(begun.rollout().skipped());
        return new ControlResult(true, "Rolling restart of group \"" + group + "\" began: " + status.total()
                + " process" + (status.total() == 1 ? "" : "es") + ", " + status.batch() + " at a time, each next "
                + "batch once the new ones ran healthy for " + Durations.text(Duration.ofMillis(status.healthyForMillis()))
                + "; status shows its progress", details);
    }

    /** Why the target names nothing, or the master takes no requests now; null when it may go on. */
    private String refusal(String what, Target target) {
        if (!runner.state().accepting()) {
            return what + " refused: the master is " + runner.state().name().toLowerCase();
        }
        if (!select(target).isEmpty()) {
            return null;
        }
        List<Reconciler.Member> all = fleet.view();
        if (target.id() != null) {
            return "No process with id " + target.id() + "; ids: " + ranges(all.stream()
                    .map(m -> m.plan().identity().id()).toList());
        }
        if (target.group() != null && all.stream().noneMatch(m -> m.plan().identity().group().equals(target.group()))) {
            return "No group named \"" + target.group() + "\"; groups: " + String.join(", ", fleet.groups());
        }
        Set<String> hosts = new LinkedHashSet<>();
        all.forEach(m -> hosts.add(m.plan().identity().host()));
        if (target.host() != null && !hosts.contains(target.host())) {
            return "No host named \"" + target.host() + "\"; hosts: " + String.join(", ", hosts);
        }
        if (target.groupId() != null) {
            return "No process " + target.group() + "/" + target.groupId() + (target.host() == null ? ""
                    : " on " + target.host()) + "; group ids of \"" + target.group() + "\": " + ranges(all.stream()
                    .map(m -> m.plan().identity()).filter(p -> p.group().equals(target.group()))
                    .map(ProcessIdentity::groupId).toList());
        }
        return all.isEmpty() ? "No process to act on: the fleet is empty"
                : "No process of " + target.describe() + "; hosts of \"" + target.group() + "\": " + String.join(", ",
                        all.stream().map(m -> m.plan().identity()).filter(p -> p.group().equals(target.group()))
                                .map(ProcessIdentity::host).distinct().toList());
    }

    private List<Reconciler.Member> select(Target target) {
        return fleet.view().stream().filter(m -> {
            var id = m.plan().identity();
            return target.matches(id.id(), id.group(), id.groupId(), id.host());
        }).toList();
    }

    private static List<ProcessIdentity> ids(List<Reconciler.Member> members) {
        return members.stream().map(m -> m.plan().identity()).toList();
    }

    private ControlResult answer(String message, Reconciler.Decision d, String problem) {
        List<String> lines = new ArrayList<>(d.changes().stream().map(Change::describe).toList());
        lines.addAll(d.skipped());
        String full = message + (d.skipped().isEmpty() ? "" : ", " + d.skipped().size() + " left alone");
        if (problem != null) {
            full += "; but " + problem;
            runner.info(LogLevel.ERROR, problem);
        }
        log(full, lines);
        return new ControlResult(problem == null, full, lines);
    }

    private void log(String message, List<String> lines) {
        runner.info(LogLevel.INFO, message);
        lines.forEach(l -> runner.info(LogLevel.INFO, "  " + l));
    }

    /** {@code 1-4, 7, 9-10}. */
    static String ranges(List<Integer> numbers) {
        TreeSet<Integer> sorted = new TreeSet<>(numbers);
        List<String> parts = new ArrayList<>();
        Integer from = null;
        Integer last = null;
        for (int n : sorted) {
            if (last != null && n == last + 1) {
                last = n;
                continue;
            }
            if (from != null) {
                parts.add(from.equals(last) ? from.toString() : from + "-" + last);
            }
            from = n;
            last = n;
        }
        if (from != null) {
            parts.add(from.equals(last) ? from.toString() : from + "-" + last);
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static String count(int n) {
        return n + " process" + (n == 1 ? "" : "es");
    }
}
