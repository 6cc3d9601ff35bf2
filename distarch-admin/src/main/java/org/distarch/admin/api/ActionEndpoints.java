package org.distarch.admin.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.distarch.admin.ConfigSource;
import org.distarch.admin.audit.AuditEntry;
import org.distarch.admin.audit.AuditSink;
import org.distarch.config.ConfigException;
import org.distarch.control.ControlPlane;
import org.distarch.control.ControlResult;
import org.distarch.control.RollingOptions;
import org.distarch.control.Target;

/**
 * The actions: each is one control plane operation whose result is the answer (200 when done, 409 when the
 * master refused, with its message either way), and each is audited with who asked, what, and the result.
 */
final class ActionEndpoints {

    /** {@code {"group": null, "force": false, "persist": false}}: all groups when the group is null or absent. */
    record Suspend(String group, Boolean force, Boolean persist) {}

    /** {@code {"target": "A/2"}}, {@code {"host": "h1"}} (with a group target: that group there) or {@code {"all": true}}. */
    record Start(String target, String host, Boolean all) {}

    record Stop(String target, String host, Boolean all, Boolean force, Boolean persist) {}

    record Restart(String target, String host, Boolean all) {}

    record Signal(String target, String host, Boolean all, String signal) {}

    /** {@code batch} and {@code healthyForMillis} null: the group's {@code rolling_batch} and {@code rolling_healthy_time}. */
    record Rolling(String group, Integer batch, Long healthyForMillis) {}

    record Resume(String group) {}

    record Apply(String planId) {}

    record Empty() {}

    private final ControlPlane plane;
    private final ConfigSource config;
    private final ReloadPlans plans;
    private final AuditSink audit;
    private final Clock clock;
    private final Runnable reopenLogs;

    ActionEndpoints(ControlPlane plane, ConfigSource config, AuditSink audit, Clock clock, Runnable reopenLogs) {
        this.reopenLogs = reopenLogs;
        this.plane = plane;
        this.config = config;
        this.plans = new ReloadPlans(clock);
        this.audit = audit;
        this.clock = clock;
    }

    Reply suspend(Exchange x) throws IOException, InterruptedException {
        Suspend body = x.body(Suspend.class);
        boolean force = yes(body.force());
        boolean persist = yes(body.persist());
        return act(x, "suspend" + (force ? " --force" : "") + (persist ? " --persist" : ""), target(body.group()),
                () -> plane.suspend(body.group(), force, persist));
    }

    Reply start(Exchange x) throws IOException, InterruptedException {
        Start body = x.body(Start.class);
        Target t = Targets.of(body.target(), body.host(), body.all());
        return act(x, "start", t.describe(), () -> plane.start(t));
    }

    Reply stopProcesses(Exchange x) throws IOException, InterruptedException {
        Stop body = x.body(Stop.class);
        Target t = Targets.of(body.target(), body.host(), body.all());
        boolean force = yes(body.force());
        boolean persist = yes(body.persist());
        return act(x, "stop" + (force ? " --force" : "") + (persist ? " --persist" : ""), t.describe(),
                () -> plane.stop(t, force, persist));
    }

    Reply restart(Exchange x) throws IOException, InterruptedException {
        Restart body = x.body(Restart.class);
        Target t = Targets.of(body.target(), body.host(), body.all());
        return act(x, "restart", t.describe(), () -> plane.restart(t));
    }

    Reply signal(Exchange x) throws IOException, InterruptedException {
        Signal body = x.body(Signal.class);
        if (body.signal() == null || body.signal().isBlank()) {
            throw ApiException.badRequest("signal is required, e.g. {\"signal\": \"USR1\", \"target\": \"A\"}");
        }
        Target t = Targets.of(body.target(), body.host(), body.all());
        return act(x, "signal " + body.signal(), t.describe(), () -> plane.signal(t, body.signal()));
    }

    /** {@code distarch logs --reopen}: the per-process log files and a service's log, reopened (logrotate). */
    Reply reopenLogs(Exchange x) throws IOException, InterruptedException {
        x.body(Empty.class);
        return act(x, "logs --reopen", "the log files", () -> {
            if (reopenLogs == null) {
                return CompletableFuture.completedFuture(ControlResult.refused("this master has no log files to "
                        + "reopen"));
            }
            reopenLogs.run();
            return CompletableFuture.completedFuture(ControlResult.done("Reopening the log files"));
        });
    }

    Reply rollingRestart(Exchange x) throws IOException, InterruptedException {
        Rolling body = x.body(Rolling.class);
        if (body.group() == null || body.group().isBlank()) {
            throw ApiException.badRequest("group is required: a rolling restart is of one group");
        }
        RollingOptions options;
        try {
            options = new RollingOptions(body.batch(), body.healthyForMillis() == null ? null
                    : Duration.ofMillis(body.healthyForMillis()));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return act(x, "restart --rolling", "group \"" + body.group() + "\"",
                () -> plane.rollingRestart(body.group(), options));
    }

    Reply resume(Exchange x) throws IOException, InterruptedException {
        Resume body = x.body(Resume.class);
        return act(x, "resume", target(body.group()), () -> plane.resume(body.group()));
    }

    Reply stop(Exchange x) throws IOException, InterruptedException {
        x.body(Empty.class);
        return act(x, "stop", "the master", plane::stop);
    }

    Reply plan(Exchange x) throws IOException, InterruptedException {
        x.body(Empty.class);
        ConfigSource.Loaded loaded = load(x, "reload.plan");
        ControlResult result = Control.await(plane.reload(loaded.config(), true));
        ReloadPlans.Plan plan = result.ok() ? plans.remember(loaded) : null;
        record(x, "reload.plan", loaded.config().source(), result.ok(), result.message());
        ObjectNode answer = Json.MAPPER.valueToTree(result);
        answer.put("planId", plan == null ? null : plan.id());
        return new Reply(result.ok() ? 200 : 409, answer);
    }

    Reply apply(Exchange x) throws IOException, InterruptedException {
        Apply body = x.body(Apply.class);
        if (body.planId() == null || body.planId().isBlank()) {
            throw ApiException.badRequest("planId is required: make a plan with POST /api/v1/reload/plan first");
        }
        ConfigSource.Loaded current = load(x, "reload.apply");
        ReloadPlans.Plan plan;
        try {
            plan = plans.take(body.planId(), current);
        } catch (ApiException e) {
            record(x, "reload.apply", "plan " + body.planId(), false, e.getMessage());
            throw e;
        }
        return act(x, "reload.apply", "plan " + plan.id() + " of " + current.config().source(), () -> {
            CompletableFuture<ControlResult> answer = plane.reload(plan.loaded().config(), false);
            return answer.thenApply(r -> {
                if (r.ok()) {
                    plans.applied();
                }
                return r;
            });
        });
    }

    private ConfigSource.Loaded load(Exchange x, String action) {
        try {
            return config.load();
        } catch (ConfigException | IllegalStateException e) {
            String message = "Reload refused, nothing changed: " + e.getMessage();
            record(x, action, null, false, message);
            throw new ApiException(409, message);
        }
    }

    private Reply act(Exchange x, String action, String target, Supplier<CompletableFuture<ControlResult>> op)
            throws InterruptedException {
        ControlResult result;
        try {
            result = Control.await(op.get());
        } catch (ApiException e) {
            record(x, action, target, false, e.getMessage());
            throw e;
        }
        record(x, action, target, result.ok(), result.message());
        return new Reply(result.ok() ? 200 : 409, result);
    }

    private void record(Exchange x, String action, String target, boolean ok, String message) {
        audit.record(new AuditEntry(clock.instant(), x.caller().name(), x.caller().role().label(), x.address(),
                action, target, ok, message));
    }

    private static boolean yes(Boolean flag) {
        return flag != null && flag;
    }

    private static String target(String group) {
        return group == null ? "all groups" : "group \"" + group + "\"";
    }
}
