package org.distarch.remote.relay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.distarch.config.DistarchConfig;
import org.distarch.event.DistarchEvent;
import org.distarch.event.DistarchListener;
import org.distarch.launch.local.LocalLauncher;
import org.distarch.master.Master;
import org.distarch.master.MasterOptions;
import org.distarch.master.SelfCommand;
import org.distarch.output.LineSplitter;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.remote.protocol.RelayCodec;
import org.distarch.remote.protocol.RelayFrame;
import org.distarch.supervise.InstancePlan;
import org.distarch.supervise.ThreadScheduler;
import org.distarch.worker.protocol.LogLevel;

/**
 * The relay: what the master runs on a remote host over SSH. It reads its instances from the session,
 * supervises them with the same engine as the master (timeouts, restarts), and streams their lines and
 * events back. It stops its workers when the master says so, and on its own when the master is gone: the
 * session's stdin closes, or no heartbeat arrived for {@code deadAfter} (a network cut closes nothing).
 *
 * <p>Only one relay runs a given set of instances on a host at a time: a lock file (per user, host and
 * instance ids) makes a reconnecting master's new relay wait until the old one has stopped its workers,
 * so an instance never runs twice.
 */
public final class Relay {

    private Relay() {}

    public static int run(InputStream in, OutputStream out, PrintStream err) throws InterruptedException {
        BufferedReader frames = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        RelayFrame.Start start;
        try {
            String first = frames.readLine();
            if (first == null) {
                err.println("distarch relay: no start frame (this command is started by a master over SSH)");
                return 2;
            }
            RelayFrame frame = RelayCodec.decode(first, null);
            if (!(frame instanceof RelayFrame.Start s)) {
                err.println("distarch relay: expected a start frame, got " + frame.getClass().getSimpleName());
                return 2;
            }
            start = s;
        } catch (IOException | IllegalArgumentException e) {
            err.println("distarch relay: bad start frame: " + e.getMessage());
            return 2;
        }
        FrameWriter writer = new FrameWriter(out);
        Clock clock = Clock.systemDefaultZone();
        LogSink sink = record -> writer.write(new RelayFrame.Log(record.epochMillis(), record.level().name(),
                record.source() == null ? 0 : record.source().id(), record.message(), record.context()));
        try (FileChannel lockFile = FileChannel.open(lockPath(start), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock first = lockFile.tryLock();
            if (first == null) {
                sink.write(new LogRecord(clock.millis(), LogLevel.WARN, null,
                        "Waiting for the previous relay of these processes to stop them", null));
            }
            try (FileLock lock = first != null ? first : lockFile.lock()) {
                return supervise(start, frames, writer, sink, clock);
            }
        } catch (IOException e) {
            err.println("distarch relay: cannot take the lock " + lockPath(start) + ": " + e.getMessage());
            return 2;
        } finally {
            writer.close();
        }
    }

    private static int supervise(RelayFrame.Start start, BufferedReader frames, FrameWriter writer, LogSink sink,
            Clock clock) throws InterruptedException {
        Duration grace = start.instances().stream().map(InstancePlan::stopTimeout).max(Duration::compareTo)
                .orElse(Duration.ofSeconds(10));
        MasterOptions options = new MasterOptions(Duration.ZERO, start.maxProcessTimeout(),
                Duration.ofMillis(Math.max(5000, start.timeoutMillis())), false);
        try (LocalLauncher launcher = new LocalLauncher(LineSplitter.DEFAULT_MAX_LINE_BYTES);
                ThreadScheduler scheduler = new ThreadScheduler(clock, t -> sink.write(new LogRecord(clock.millis(),
                        LogLevel.ERROR, null, "Internal error in the relay: " + t, null)))) {
            Master master = Master.builder(new DistarchConfig("relay", List.of(), List.of()))
                    .plans(start.instances()).host(start.host(), true).options(options).launcher(launcher)
                    .scheduler(scheduler).log(sink).self(new SelfCommand(List.of("unused")))
                    .listener(new DistarchListener() {
                        @Override
                        public void onEvent(DistarchEvent event) {
                            writer.write(new RelayFrame.Event(event));
                        }
                    }).build();
            Heartbeat heartbeat = new Heartbeat(master, sink, clock, Duration.ofMillis(start.deadAfterMillis()), grace);
            Thread reader = new Thread(() -> heartbeat.read(frames), "distarch-relay-in");
            reader.setDaemon(true);
            reader.start();
            ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "distarch-relay-heartbeat");
                t.setDaemon(true);
                return t;
            });
            watch.scheduleWithFixedDelay(heartbeat::check, 500, 500, TimeUnit.MILLISECONDS);
            try {
                int code = master.run();
                writer.write(new RelayFrame.Done(code));
                return code;
            } finally {
                watch.shutdownNow();
            }
        }
    }

    /** One lock per user, host and set of instances, in the system's temporary directory. */
    static Path lockPath(RelayFrame.Start start) {
        StringBuilder key = new StringBuilder(start.host());
        start.instances().forEach(p -> key.append('-').append(p.identity().id()));
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "distarch-relay-" + user + "-"
                + Integer.toHexString(key.toString().hashCode()) + ".lock");
    }
}
