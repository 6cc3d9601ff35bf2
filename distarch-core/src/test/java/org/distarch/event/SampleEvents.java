package org.distarch.event;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One or more sample of every event type, with millisecond times (the codec's precision). */
public final class SampleEvents {

    public static final Instant T = Instant.parse("2026-12-01T08:30:15.250Z");
    public static final ProcessIdentity WORKER =
            new ProcessIdentity(3, 2, 4, "resize", "localhost", "python3 resize.py", ProcessRole.WORKER);
    public static final ProcessIdentity FEEDER =
            new ProcessIdentity(5, 1, 1, "orders", "node-2", "java -jar feeder.jar", ProcessRole.FEEDER);
    public static final ProcessIdentity CONSUMER =
            new ProcessIdentity(6, 1, 3, "orders", "node-2", "java -jar consumer.jar", ProcessRole.CONSUMER);

    private SampleEvents() {}

    public static List<DistarchEvent> all() {
        return List.of(
                new MasterEvent.Starting(T, "localhost", false),
                new MasterEvent.Started(T, "localhost", false, 12),
                new MasterEvent.Running(T, "node-2", true, 11),
                new MasterEvent.Stopped(T, "localhost", false, 1, "every process ended or was given up"),
                new ProcessEvent.Created(T, WORKER),
                new ProcessEvent.Starting(T, WORKER, 2),
                new ProcessEvent.Started(T, WORKER, 41_234L),
                new ProcessEvent.Running(T, WORKER, "resized 12 images, \"ok\" \u00e9\u4e2d\ud83d\ude00"),
                new ProcessEvent.Stopping(T, WORKER, "admin stop"),
                new ProcessEvent.TimedOut(T, WORKER, Duration.ofSeconds(30), 2),
                new ProcessEvent.Stopped(T, WORKER, new ExitStatus(143, 15), ProcessEvent.Outcome.RESTARTING,
                        "killed by signal 15 (SIGTERM)", Duration.ofMillis(1500)),
                new ProcessEvent.Stopped(T, WORKER, null, ProcessEvent.Outcome.STOPPED, "stopped", null),
                new QueueEvent.FeederListening(T, FEEDER, "node-2:7411"),
                new QueueEvent.ConsumersConnected(T, FEEDER, 4),
                new QueueEvent.ItemReceived(T, CONSUMER, "order-17", 1, "{\"order\":17}", false),
                new QueueEvent.ItemHandled(T, FEEDER, "order-17", 1, 3, "{\"order\":17}", false),
                new QueueEvent.ItemFailed(T, FEEDER, "order-18", 3, "lost with its consumer", 4, null, false));
    }

    /** The {@code n}-th of a numbered sequence, to check order. */
    public static DistarchEvent numbered(int n) {
        return new ProcessEvent.Starting(T, WORKER, n);
    }
}
