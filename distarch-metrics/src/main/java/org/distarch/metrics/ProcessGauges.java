package org.distarch.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.distarch.control.ControlPlane;
import org.distarch.control.MasterStatus;
import org.distarch.control.ProcessStatus;

/**
 * {@code distarch.processes{group,state}}: one gauge per group and state (every state, 0 included), each read
 * from one sample of the control plane's status that is taken when a gauge is read and is at most
 * {@link #MAX_AGE_NANOS} old. Reading is all it costs: no timer, nothing while nobody scrapes. Groups get their
 * gauges when their first process event arrives or a sample shows them; {@link #sync} (before a scrape of the
 * master's own registry) also drops the gauges of groups a reload removed.
 */
final class ProcessGauges {

    /** A scrape reads every group's every state: they share one sample. */
    static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final MeterRegistry registry;
    private final List<String> states;
    private final Supplier<ControlPlane> fleet;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    private final Map<String, List<Meter>> groups = new ConcurrentHashMap<>();
    private Map<String, Map<String, Integer>> sample = Map.of();
    private long sampledAt;
    private boolean sampled;

    ProcessGauges(MeterRegistry registry, List<String> states, Supplier<ControlPlane> fleet, Duration timeout) {
        this(registry, states, fleet, timeout, System::nanoTime);
    }

    ProcessGauges(MeterRegistry registry, List<String> states, Supplier<ControlPlane> fleet, Duration timeout,
            LongSupplier nanoTime) {
        this.registry = registry;
        this.states = List.copyOf(states);
        this.fleet = fleet;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
    }

    /** Makes sure {@code group} has its gauges (its first event, or a sample that shows it). */
    void group(String group) {
        groups.computeIfAbsent(group, g -> states.stream().<Meter>map(state -> Gauge.builder("distarch.processes",
                        this, self -> self.count(g, state))
                .description("Processes per group and state").tags("group", g, "state", state.toLowerCase(Locale.ROOT))
                .register(registry)).toList());
    }

    /** Samples now and brings the gauges in line with the groups the master has (new ones added, gone ones removed). */
    void sync() {
        Map<String, Map<String, Integer>> now = current();
        if (!sampledOk()) {
            return; // the master did not answer: keep the gauges as they are
        }
        now.keySet().forEach(this::group);
        for (String group : Set.copyOf(groups.keySet())) {
            if (!now.containsKey(group)) {
                List<Meter> meters = groups.remove(group);
                if (meters != null) {
                    meters.forEach(registry::remove);
                }
            }
        }
    }

    private double count(String group, String state) {
        return current().getOrDefault(group, Map.of()).getOrDefault(state, 0);
    }

    private synchronized boolean sampledOk() {
        return sampled;
    }

    /** The last sample, taken anew when older than a second; the previous one when the master cannot answer. */
    private synchronized Map<String, Map<String, Integer>> current() {
        long now = nanoTime.getAsLong();
        if (sampled && now - sampledAt < MAX_AGE_NANOS) {
            return sample;
        }
        ControlPlane plane = fleet.get();
        if (plane == null) {
            return sample;
        }
        MasterStatus status;
        try {
            status = plane.status().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return sample; // the master has ended, or is too busy to answer now: keep the last sample
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return sample;
        }
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (ProcessStatus p : status.processes()) {
            counts.computeIfAbsent(p.group(), g -> new TreeMap<>()).merge(p.state(), 1, Integer::sum);
        }
        sample = counts;
        sampledAt = now;
        sampled = true;
        return sample;
    }
}
