package org.distarch.master;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.distarch.config.LifecycleSettings;
import org.distarch.supervise.Scheduler;
import org.distarch.worker.protocol.LogLevel;

/**
 * The groups' scheduled restarts ({@code restart_every}, {@code restart_cron}), each carried out as a rolling
 * restart with the group's own settings. {@code restart_every} counts from the master's start (not from a reload
 * that leaves it as it was); {@code restart_cron} reads the master's time zone. A restart that comes while the
 * group is suspended, a rollout of it is under way, or the fleet does not accept starts is skipped and logged; the
 * next one is armed either way. One timer per scheduled group. Confined to the supervision thread.
 */
final class RestartSchedules {

    private record Armed(String setting, long dueMillis, Scheduler.Cancellable timer) {}

    private final FleetRunner runner;
    private final Scheduler scheduler;
    private final Clock clock;
    private final ZoneId zone;
    private final Map<String, Armed> armed = new HashMap<>();
    private long origin = -1;

    RestartSchedules(FleetRunner runner, Scheduler scheduler, Clock clock) {
        this(runner, scheduler, clock, ZoneId.systemDefault());
    }

    RestartSchedules(FleetRunner runner, Scheduler scheduler, Clock clock, ZoneId zone) {
        this.runner = runner;
        this.scheduler = scheduler;
        this.clock = clock;
        this.zone = zone;
    }

    /** (Re-)arms every group's schedule: new or changed ones from now, unchanged ones keep their next time. */
    void arm(Map<String, LifecycleSettings> lifecycles) {
        if (origin < 0) {
            origin = clock.millis();
        }
        for (String group : List.copyOf(armed.keySet())) {
            LifecycleSettings l = lifecycles.get(group);
            if (l == null || !Objects.equals(setting(l), armed.get(group).setting())) {
                armed.remove(group).timer().cancel();
            }
        }
        lifecycles.forEach((group, l) -> {
            if (l.scheduled() && !armed.containsKey(group)) {
                armNext(group, l);
            }
        });
    }

    void cancelAll() {
        armed.values().forEach(a -> a.timer().cancel());
        armed.clear();
    }

    /** As {@code status} shows it: {@code every 6h}, {@code cron 0 4 * * *}, or null. */
    static String setting(LifecycleSettings l) {
        if (l.restartEvery() != null) {
            return "every " + Durations.text(l.restartEvery());
        }
        return l.restartCron() == null ? null : "cron " + l.restartCron().expression();
    }

    /** When the group's next scheduled restart is due (epoch millis), or 0. */
    long nextMillis(String group) {
        Armed a = armed.get(group);
        return a == null ? 0 : a.dueMillis();
    }

    private void armNext(String group, LifecycleSettings l) {
        long now = clock.millis();
        long due;
        if (l.restartEvery() != null) {
            long every = l.restartEvery().toMillis();
            due = origin + ((now - origin) / every + 1) * every;
        } else {
            ZonedDateTime next = l.restartCron().next(ZonedDateTime.ofInstant(clock.instant(), zone)).orElse(null);
            if (next == null) {
                runner.info(LogLevel.WARN, "Group \"" + group + "\": restart_cron \"" + l.restartCron().expression()
                        + "\" names no future time; no scheduled restart");
                return;
            }
            due = next.toInstant().toEpochMilli();
        }
        Scheduler.Cancellable timer = scheduler.schedule(Duration.ofMillis(Math.max(0, due - now)),
                () -> fire(group, l));
        armed.put(group, new Armed(setting(l), due, timer));
    }

    private void fire(String group, LifecycleSettings l) {
        armed.remove(group);
        String cause = l.restartEvery() != null ? "restart_every" : "restart_cron";
        String refusal = runner.scheduledRestart(group, cause);
        if (refusal != null) {
            runner.info(LogLevel.WARN, "Scheduled restart of group \"" + group + "\" (" + setting(l) + ") skipped: "
                    + refusal);
        }
        armNext(group, l);
    }
}
