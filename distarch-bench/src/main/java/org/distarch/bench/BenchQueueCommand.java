package org.distarch.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.distarch.queue.Feeder;
import org.distarch.queue.FeederControl;
import org.distarch.queue.ItemContext;
import org.distarch.queue.QueueCommand;
import org.distarch.worker.WorkerContext;

/**
 * {@code bench:queue}: a feeder of {@code params.items} numbers and consumers that do nothing with them. With
 * {@code params.rate} (items per second) items arrive over time, else all are there at once. When every item
 * has succeeded the feeder prints one {@code bench-result} line: items per second (first hand-out to last
 * success, handing out only once {@code params.consumers} consumers are connected) and the latency from an item being available to its success reaching the feeder.
 */
public final class BenchQueueCommand extends QueueCommand<Long> {

    public BenchQueueCommand() {
        super(Long.class);
    }

    @Override
    public String name() {
        return "bench:queue";
    }

    @Override
    protected Feeder<Long> feeder(WorkerContext context, FeederControl control) {
        int items = ((Number) context.params().get("items")).intValue();
        int rate = ((Number) context.params().getOrDefault("rate", 0)).intValue();
        long[] available = new long[items];
        long[] done = new long[items];
        ConcurrentLinkedQueue<Long> ready = new ConcurrentLinkedQueue<>();
        int consumers = ((Number) context.params().getOrDefault("consumers", 1)).intValue();
        if (rate <= 0) {
            long now = System.nanoTime();
            for (int i = 0; i < items; i++) {
                available[i] = now;
                ready.add((long) i);
            }
        } else {
            ScheduledExecutorService arrivals = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "arrivals");
                t.setDaemon(true);
                return t;
            });
            int[] next = {0};
            long periodNanos = 1_000_000_000L / rate;
            arrivals.scheduleAtFixedRate(() -> {
                // Arrivals start once every consumer is connected: the figure is latency, not start-up.
                if (next[0] < items && (next[0] > 0 || control.connectedConsumers() >= consumers)) {
                    int i = next[0]++;
                    available[i] = System.nanoTime();
                    ready.add((long) i);
                    control.itemsAvailable();
                }
            }, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        }
        return new Feeder<>() {
            private long first;
            private int succeeded;

            private boolean started;

            @Override
            public boolean empty() {
                // Nothing before every consumer is connected: the figure is the queue's, not the JVMs' start-up
                // (the feeder asks again after its empty interval).
                started = started || control.connectedConsumers() >= consumers;
                return !started || ready.isEmpty();
            }

            @Override
            public Long next() {
                if (first == 0) {
                    first = System.nanoTime();
                }
                return ready.poll();
            }

            @Override
            public void success(Long item) {
                done[item.intValue()] = System.nanoTime();
                if (++succeeded == items) {
                    report(first, items, rate, available, done);
                }
            }

            @Override
            public void error(Long item, String error) {
                System.out.println("bench-error item " + item + ": " + error);
            }
        };
    }

    private static void report(long first, int items, int rate, long[] available, long[] done) {
        long last = Arrays.stream(done).max().orElse(first);
        long[] latency = new long[items];
        for (int i = 0; i < items; i++) {
            latency[i] = done[i] - available[i];
        }
        Arrays.sort(latency);
        System.out.printf(Locale.ROOT, "bench-result items=%d rate=%s throughput=%.0f items/s latency p50=%.2f ms "
                        + "p99=%.2f ms max=%.2f ms%n", items, rate == 0 ? "burst" : rate + "/s",
                items / ((last - first) / 1e9), latency[items / 2] / 1e6, latency[(int) (items * 0.99)] / 1e6,
                latency[items - 1] / 1e6);
    }

    @Override
    protected void handleItem(ItemContext item, Long value) {
        // a trivial handler: the figure is the queue's, not the work's
    }
}
