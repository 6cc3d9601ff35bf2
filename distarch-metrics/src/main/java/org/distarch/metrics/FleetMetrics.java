package org.distarch.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.distarch.control.ControlPlane;
import org.distarch.event.DistarchEvent;
import org.distarch.event.DistarchListener;
import org.distarch.event.MasterEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.event.QueueEvent;
import org.distarch.history.HistoryWriterStats;
import org.distarch.output.LogSink;

/**
 * The master's metrics, as a listener of its events plus what is sampled when scraped:
 *
 * <ul>
 *   <li>{@code distarch_processes{group,state}}: processes per group and state, from the control plane's status at
 *       each scrape (one status call, no per-event bookkeeping); every state is reported, 0 included;</li>
 *   <li>{@code distarch_restarts_total{group}}, {@code distarch_timeouts_total{group}}: from the events;</li>
 *   <li>{@code distarch_output_lines_total{group}}: every line a worker printed, counted by the log sink that
 *       {@link #countingOutput} wraps;</li>
 *   <li>{@code distarch_queue_items_total{group,outcome}} (received, handled, failed, redelivered) and
 *       {@code distarch_queue_in_flight{group}} (items received and not yet handled or failed) and
 *       {@code distarch_queue_consumers_connected{group}} (as the feeder tells; 0 once it ended);</li>
 *   <li>{@code distarch_relay_sessions{state}}: remote hosts' relay sessions by state (connecting, connected,
 *       disconnected);</li>
 *   <li>{@code distarch_history_queue_depth}, {@code distarch_history_written_total},
 *       {@code distarch_history_dropped_total}: the history writer ({@link #bindHistory});</li>
 *   <li>the JVM: memory, GC, threads, class loading, CPU, uptime.</li>
 * </ul>
 *
 * {@link #scrape} renders them in the Prometheus text format. {@link #FleetMetrics(List)} puts them in other registries too
 * (an application's, so that its actuator shows them): the {@code distarch.*} meters are registered on a
 * composite of this class's own Prometheus registry and the bound ones, and the processes gauge samples the
 * control plane when it is read (one status call per second at most, however many registries read it), so
 * every registry sees the fleet as it is. The JVM meters stay in the own registry: an application has its own.
 */
public final class FleetMetrics implements DistarchListener, AutoCloseable {

    /** Every state a process can be in ({@code InstanceState}), so that a state left empty reads 0. */
    static final List<String> STATES = List.of("CREATED", "STARTING", "RUNNING", "STOPPING", "BACKOFF", "ENDED",
            "STOPPED", "FAILED");
    static final List<String> RELAY_STATES = List.of("CONNECTING", "CONNECTED", "DISCONNECTED");

    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Where the distarch meters are registered: {@link #prometheus} and the application's registries. */
    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private final List<MeterRegistry> bound = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ProcessGauges processes;
    private final Map<String, String> relays = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Counter> outputLines = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> queueItems = new ConcurrentHashMap<>();
    private final Map<String, ItemRate> rates = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> consumersConnected =
            new ConcurrentHashMap<>();
    private volatile Runnable queueChanged = () -> { };
    private volatile ControlPlane fleet;

    public FleetMetrics() {
        this(List.of());
    }

    /**
     * With the distarch meters in {@code alsoIn} too (an application's registries, so that its actuator shows the
     * fleet); {@link #close} takes them out of those again.
     */
    public FleetMetrics(List<MeterRegistry> alsoIn) {
        registry.add(prometheus);
        bound.addAll(alsoIn);
        alsoIn.forEach(registry::add);
        new JvmMemoryMetrics().bindTo(prometheus);
        gc.bindTo(prometheus);
        new JvmThreadMetrics().bindTo(prometheus);
        new ClassLoaderMetrics().bindTo(prometheus);
        new ProcessorMetrics().bindTo(prometheus);
        new UptimeMetrics().bindTo(prometheus);
        processes = new ProcessGauges(registry, STATES, () -> fleet, STATUS_TIMEOUT);
        for (String state : RELAY_STATES) {
            Gauge.builder("distarch.relay.sessions", relays, r -> r.values().stream().filter(state::equals).count())
                    .description("Remote hosts' relay sessions by state").tag("state", state.toLowerCase(
                            java.util.Locale.ROOT)).register(registry);
        }
    }

    /** The master's control plane: what the processes gauge samples. */
    @Override
    public void attached(ControlPlane fleet) {
        this.fleet = fleet;
    }

    /** Counting is all an event costs; a queue of 65,536 so that a burst of queue events is not lost to it. */
    @Override
    public int queueCapacity() {
        return 65_536;
    }

    /** Every event but the heartbeats ({@code master_running}, once a second per host), which it counts nothing of. */
    @Override
    public boolean wants(DistarchEvent event) {
        return !(event instanceof MasterEvent.Running);
    }

    @Override
    public void onEvent(DistarchEvent event) {
        if (event instanceof ProcessEvent p) {
            processes.group(p.process().group());
            if (p instanceof ProcessEvent.Stopped && p.process().role() == org.distarch.event.ProcessRole.FEEDER) {
                connected(p.process().group()).set(0); // its consumers' connections ended with it
                queueChanged.run();
            }
        }
        if (event instanceof ProcessEvent.Starting s && s.attempt() > 1) {
            count("distarch.restarts", "Restarts of crashed or timed-out processes", s.process().group());
        } else if (event instanceof ProcessEvent.TimedOut t) {
            count("distarch.timeouts", "Silence timeouts", t.process().group());
        } else if (event instanceof QueueEvent q) {
            queue(q);
            queueChanged.run();
        } else if (event instanceof MasterEvent m && m.remote()) {
            if (m instanceof MasterEvent.Starting) {
                relays.put(m.host(), "CONNECTING");
            } else if (m instanceof MasterEvent.Started) {
                relays.put(m.host(), "CONNECTED");
            } else if (m instanceof MasterEvent.Stopped) {
                relays.put(m.host(), "DISCONNECTED");
            }
        }
    }

    private void queue(QueueEvent q) {
        String group = q.process().group();
        Set<String> items = inFlight(group);
        if (q instanceof QueueEvent.ConsumersConnected c) {
            connected(group).set(c.connected());
        } else if (q instanceof QueueEvent.ItemReceived r) {
            items.add(r.itemId());
            queueItem(group, "received");
            if (r.attempt() > 1) {
                queueItem(group, "redelivered");
            }
        } else if (q instanceof QueueEvent.ItemHandled h) {
            items.remove(h.itemId());
            queueItem(group, "handled");
            rate(group).add(h.time().toEpochMilli());
        } else if (q instanceof QueueEvent.ItemFailed f) {
            items.remove(f.itemId());
            queueItem(group, "failed");
            rate(group).add(f.time().toEpochMilli());
        }
    }

    private Set<String> inFlight(String group) {
        return inFlight.computeIfAbsent(group, g -> {
            Set<String> set = ConcurrentHashMap.newKeySet();
            Gauge.builder("distarch.queue.in_flight", set, Set::size).description("Queue items handed out, not yet "
                    + "handled or failed").tag("group", g).register(registry);
            return set;
        });
    }

    private java.util.concurrent.atomic.AtomicInteger connected(String group) {
        return consumersConnected.computeIfAbsent(group, g -> {
            var count = new java.util.concurrent.atomic.AtomicInteger();
            Gauge.builder("distarch.queue.consumers.connected", count, java.util.concurrent.atomic.AtomicInteger::get)
                    .description("Consumers connected to the group's feeder, as it tells").tag("group", g)
                    .register(registry);
            return count;
        });
    }

    private ItemRate rate(String group) {
        return rates.computeIfAbsent(group, g -> new ItemRate());
    }

    /**
     * Runs {@code changed} on the listener's thread after each queue event is counted, so that what it then
     * reads through {@link #queues} includes that event. It must only hand over (it delays the counting).
     */
    public void onQueueChange(Runnable changed) {
        this.queueChanged = changed == null ? () -> { } : changed;
    }

    private void queueItem(String group, String outcome) {
        // Looked up once per group and outcome: building and registering a meter per item cost more than all
        // the rest of an item's counting.
        queueItems.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).computeIfAbsent(outcome, o ->
                Counter.builder("distarch.queue.items").description("Queue items by outcome").tags("group", group,
                        "outcome", o).register(registry)).increment();
    }

    private void count(String name, String description, String group) {
        Counter.builder(name).description(description).tag("group", group).register(registry).increment();
    }

    /**
     * The master's log sink, counting each worker's lines by group on the way (an adder per line, on the
     * worker's reader thread; the map look-up only when the group differs from the previous line's).
     */
    public LogSink countingOutput(LogSink sink) {
        return new CountingLogSink(sink, group -> outputLines.computeIfAbsent(group, g ->
                Counter.builder("distarch.output.lines").description("Lines printed by workers").tag("group", g)
                        .register(registry)));
    }

    /** Reports the history writer's queue depth, writes and drops. */
    public void bindHistory(Supplier<HistoryWriterStats> stats) {
        // Strong: Micrometer holds a gauge's object weakly, and a method reference has nothing else holding it.
        Gauge.builder("distarch.history.queue.depth", stats, s -> s.get().queued()).strongReference(true)
                .description("History entries waiting to be written").register(registry);
        FunctionCounter.builder("distarch.history.written", stats, s -> s.get().written())
                .description("History entries written").register(registry);
        FunctionCounter.builder("distarch.history.dropped", stats, s -> s.get().dropped())
                .description("History entries dropped: queue full or database down").register(registry);
    }

    /**
     * A queue group's items since the master started, as the events report them: received (redeliveries
     * included), handled, failed, redelivered, in flight now (received, not yet handled or failed), and items
     * finished (handled or failed) per second over the last 30 s, and the consumers connected to its feeder now
     * (as the feeder tells; 0 before it told and once it ended).
     */
    public record QueueFigures(String group, long received, long handled, long failed, long redelivered,
            int inFlight, double perSecond, int consumersConnected) {}

    /** Each queue group that has seen a queue event, by name, its rate measured at {@code nowMillis}. */
    public List<QueueFigures> queues(long nowMillis) {
        List<QueueFigures> figures = new ArrayList<>();
        new TreeMap<>(inFlight).forEach((group, items) -> {
            ItemRate rate = rates.get(group);
            figures.add(new QueueFigures(group, items(group, "received"), items(group, "handled"),
                    items(group, "failed"), items(group, "redelivered"), items.size(),
                    rate == null ? 0 : rate.perSecond(nowMillis), connected(group).get()));
        });
        return figures;
    }

    /** {@link #queues(long)} now. */
    public List<QueueFigures> queues() {
        return queues(System.currentTimeMillis());
    }

    private long items(String group, String outcome) {
        Counter c = registry.find("distarch.queue.items").tags("group", group, "outcome", outcome).counter();
        return c == null ? 0 : (long) c.count();
    }

    /** Every metric in the Prometheus text format (version 0.0.4), the processes sampled now. */
    public String scrape() {
        processes.sync();
        return prometheus.scrape();
    }

    @Override
    public void close() {
        for (MeterRegistry other : bound) {
            // Out of the application's registry (which lives on), then off the composite, which closes the rest.
            for (Meter meter : registry.getMeters()) {
                other.removeByPreFilterId(meter.getId());
            }
            registry.remove(other);
        }
        bound.clear();
        gc.close();
        registry.close();
        prometheus.close();
    }
}
