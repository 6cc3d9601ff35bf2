package org.distarch.admin.api;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.distarch.admin.ConfigSource;
import org.distarch.admin.auth.Sessions;

/**
 * Reload in two steps: a plan (the dry run's answer, kept under an id with the file's fingerprint), then the
 * apply of that very plan. Applying is refused, with nothing done, when the file changed since the plan, when
 * another reload was applied in between (the plan was a difference against a fleet that is gone), or when the
 * plan is unknown or older than {@link #MAX_AGE}.
 */
final class ReloadPlans {

    static final Duration MAX_AGE = Duration.ofMinutes(15);
    private static final int KEPT = 16;

    /** A plan made and not yet applied. */
    record Plan(String id, ConfigSource.Loaded loaded, long generation, long madeAt) {}

    private final Clock clock;
    private final Map<String, Plan> plans = new LinkedHashMap<>();
    private long generation;

    ReloadPlans(Clock clock) {
        this.clock = clock;
    }

    synchronized Plan remember(ConfigSource.Loaded loaded) {
        if (plans.size() >= KEPT) {
            plans.remove(plans.keySet().iterator().next());
        }
        Plan plan = new Plan(Sessions.random().substring(0, 16), loaded, generation, clock.millis());
        plans.put(plan.id(), plan);
        return plan;
    }

    /** The plan to apply, or why not; {@code current} is the file as it is now. */
    synchronized Plan take(String id, ConfigSource.Loaded current) {
        Plan plan = plans.get(id);
        if (plan == null || clock.millis() - plan.madeAt() > MAX_AGE.toMillis()) {
            plans.remove(id);
            throw new ApiException(409, "no reload plan \"" + id + "\" (unknown, applied, or older than "
                    + MAX_AGE.toMinutes() + " minutes); nothing was done: make a new plan");
        }
        if (plan.generation() != generation) {
            throw new ApiException(409, "another reload was applied since plan \"" + id
                    + "\" was made; nothing was done: make a new plan");
        }
        if (!plan.loaded().fingerprint().equals(current.fingerprint())) {
            throw new ApiException(409, "the configuration file changed since plan \"" + id
                    + "\" was made; nothing was done: make a new plan");
        }
        plans.remove(id);
        return plan;
    }

    /** A reload was applied: every plan made before is stale. */
    synchronized void applied() {
        generation++;
        plans.clear();
    }
}
