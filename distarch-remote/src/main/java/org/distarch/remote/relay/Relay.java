package org.distarch.remote.relay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.distarch.launch.generation.Generation;
import org.distarch.launch.local.LocalLauncher;
import org.distarch.output.LineSplitter;
import org.distarch.remote.protocol.RelayCodec;
import org.distarch.remote.protocol.RelayFrame;

/**
 * The relay: what the master runs on a remote host over SSH, one per group and host. It is a process host,
 * not a second supervisor: it starts the processes the master asks for (with the same local launcher as the
 * master: own process group, parent-death signal), streams their lines and exits back, and signals them. The
 * master decides everything else, exactly as for its local processes.
 *
 * <p>If the master is gone (the session's stdin closes, or no ping came for {@code deadAfterMillis}: a
 * network cut closes nothing) the relay stops every process itself, gracefully and then by force after each
 * one's grace, so that nothing runs unsupervised. A lock per group and host ({@link RelayLock}) makes a new
 * relay wait until the previous one has done so; and since the lock goes with the relay's JVM while its
 * workers may outlive it (SIGKILL of the relay, a stopped or SIGTERM-deaf worker), a journal beside the lock
 * ({@link Generation}) makes the new relay wait for them, and kill them after their grace, before it is ready.
 */
public final class Relay {

    private static final Duration PING = Duration.ofSeconds(1);
    private static final Duration USAGE = Duration.ofSeconds(2);

    private final BufferedReader frames;
    private final FrameWriter out;
    private final RelayFrame.Hello hello;
    private final CompletableFuture<String> over = new CompletableFuture<>();
    private volatile long lastHeard = System.currentTimeMillis();

    private Relay(BufferedReader frames, FrameWriter out, RelayFrame.Hello hello) {
        this.frames = frames;
        this.out = out;
        this.hello = hello;
    }

    public static int run(InputStream in, OutputStream out, PrintStream err) throws InterruptedException {
        BufferedReader frames = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        RelayFrame.Hello hello;
        try {
            String first = frames.readLine();
            if (first == null) {
                err.println("distarch relay: no hello frame (this command is started by a master over SSH)");
                return 2;
            }
            if (!(RelayCodec.decode(first) instanceof RelayFrame.Hello h)) {
                err.println("distarch relay: the first frame must be a hello");
                return 2;
            }
            hello = h;
        } catch (IOException | IllegalArgumentException e) {
            err.println("distarch relay: bad hello frame: " + e.getMessage());
            return 2;
        }
        if (hello.version() < RelayFrame.OLDEST_VERSION || hello.version() > RelayFrame.VERSION) {
            err.println("distarch relay: the master speaks relay protocol " + hello.version() + ", this relay "
                    + RelayFrame.OLDEST_VERSION + " to " + RelayFrame.VERSION
                    + ": install the same distarch version on every host");
            return 2;
        }
        FrameWriter writer = new FrameWriter(out, hello.version() >= 4); // lines frames came with version 4
        try (RelayLock lock = RelayLock.acquire(hello.lock(), () -> writer.write(log("WARN",
                "Waiting for the previous relay of these processes to stop them")))) {
            return new Relay(frames, writer, hello).serve(lock.journal());
        } catch (IOException e) {
            err.println("distarch relay: cannot take the lock of group \"" + hello.group() + "\" on " + hello.host()
                    + ": " + e.getMessage());
            return 2;
        } finally {
            writer.close();
        }
    }

    private int serve(java.nio.file.Path journal) throws InterruptedException {
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "distarch-relay-timers");
            t.setDaemon(true);
            return t;
        });
        try (LocalLauncher launcher = new LocalLauncher(LineSplitter.DEFAULT_MAX_LINE_BYTES);
                Generation generation = Generation.begin(journal, launcher, "the previous relay",
                        line -> out.write(log("INFO", line)), line -> out.write(log("WARN", line)))) {
            RelayProcesses processes = new RelayProcesses(generation.launcher(), out);
            lastHeard = System.currentTimeMillis();
            out.write(new RelayFrame.Ready(ProcessHandle.current().pid()));
            Thread reader = new Thread(() -> read(processes), "distarch-relay-in");
            reader.setDaemon(true);
            reader.start();
            timers.scheduleWithFixedDelay(this::beat, PING.toMillis(), PING.toMillis(), TimeUnit.MILLISECONDS);
            Map<Integer, RelayFrame.Sample> reported = new HashMap<>();
            timers.scheduleWithFixedDelay(() -> {
                // Only what changed: an idle fleet's figures stay the same, and the master keeps the last ones.
                List<RelayFrame.Sample> changed = new ArrayList<>();
                Map<Integer, RelayFrame.Sample> now = new HashMap<>();
                for (RelayFrame.Sample sample : processes.usage()) {
                    now.put(sample.handle(), sample);
                    if (!sample.equals(reported.get(sample.handle()))) {
                        changed.add(sample);
                    }
                }
                reported.clear();
                reported.putAll(now);
                if (!changed.isEmpty()) {
                    out.write(new RelayFrame.UsageReport(changed));
                }
            }, USAGE.toMillis(), USAGE.toMillis(), TimeUnit.MILLISECONDS);
            String why;
            try {
                why = over.get();
            } catch (ExecutionException e) {
                why = String.valueOf(e.getCause());
            }
            if (why != null) {
                out.write(log("WARN", "Master lost (" + why + "): stopping every process"));
            }
            processes.stopAll(Duration.ofMillis(processes.maxGraceMillis()).plusSeconds(10));
            out.write(new RelayFrame.Done(0));
            return 0;
        } finally {
            timers.shutdownNow();
        }
    }

    /** Every second: a ping to the master, and a look at whether the master still pings us. */
    private void beat() {
        out.write(new RelayFrame.Ping());
        long silence = System.currentTimeMillis() - lastHeard;
        if (silence > hello.deadAfterMillis()) {
            over.complete("no heartbeat from the master for " + silence / 1000 + "s");
        }
    }

    private void read(RelayProcesses processes) {
        try {
            String line;
            while ((line = frames.readLine()) != null) {
                lastHeard = System.currentTimeMillis();
                RelayFrame frame;
                try {
                    frame = RelayCodec.decode(line);
                } catch (IllegalArgumentException e) {
                    out.write(log("WARN", "Ignoring a bad frame from the master: " + e.getMessage()));
                    continue;
                }
                if (frame instanceof RelayFrame.Launch l) {
                    processes.launch(l);
                } else if (frame instanceof RelayFrame.Stop s) {
                    processes.askStop(s.handle());
                } else if (frame instanceof RelayFrame.Kill k) {
                    processes.kill(k.handle());
                } else if (frame instanceof RelayFrame.Signal g) {
                    processes.signal(g.handle(), g.signal());
                } else if (frame instanceof RelayFrame.Close) {
                    over.complete(null); // asked: no "master lost" line
                }
            }
            over.complete("the session with the master closed");
        } catch (IOException e) {
            over.complete("the session with the master broke: " + e.getMessage());
        }
    }

    private static RelayFrame.Log log(String level, String message) {
        return new RelayFrame.Log(System.currentTimeMillis(), level, message);
    }
}
