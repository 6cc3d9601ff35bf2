package org.distarch.bench.soak;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * {@code bin/soak [SECONDS] [--seed N] [--keep]}: a chaos soak of a whole fleet. A real master runs a local group,
 * a local group whose worker takes its time to stop, a group on 3 SSH test hosts and a queue group with
 * {@code redeliver}; for SECONDS (default 180) the soak SIGKILLs workers, consumers, relays, the feeder and the
 * master (started again at once), SIGSTOPs workers and cuts host links, at random from a printed seed, while it
 * checks its invariants every 200 ms or so ({@code Invariants}). Then it lets the fleet come back, stops the master
 * and checks that nothing is left and that each queue item had exactly one outcome ({@code QueueLedger}). Prints
 * every fault and every invariant with its figure; exits 1 on any violation, 2 if it could not run.
 */
public final class Soak {

    private static final long SAMPLE_MS = 200;
    private static final long WARM_LIMIT_MS = 120_000;
    private static final long SETTLE_LIMIT_MS = 90_000;
    private static final long STOP_LIMIT_S = 90;
    private static final long LEFT_LIMIT_MS = 10_000;
    private static final int HOSTS = 3;
    /**
     * Seconds the slow group's worker (local) and the remote group's take to finish after SIGTERM: longer than a
     * master or relay takes to start again on a busy machine, so that an instance started again without waiting
     * for its old copy shows as two copies.
     */
    private static final int SLOW_STOP_S = 25;
    private static final int REMOTE_STOP_S = 12;

    private Soak() {}

    public static void main(String[] args) throws Exception {
        long seconds = 180;
        long seed = ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--keep" -> keep = true;
                case "-h", "--help" -> {
                    System.out.println("usage: bin/soak [SECONDS] [--seed N] [--keep]   (see docs/soak.md)");
                    return;
                }
                default -> seconds = Long.parseLong(args[i]);
            }
        }
        Path script = Path.of("testhosts/testhosts.sh").toAbsolutePath();
        String unavailable = SoakHosts.unavailable(script);
        if (unavailable != null) {
            System.out.println("soak: skipped: " + unavailable);
            System.exit("true".equalsIgnoreCase(System.getenv("DISTARCH_TESTHOSTS_REQUIRED")) ? 2 : 0);
        }
        System.out.printf("soak: seed %d, %d s of faults (repeat with: bin/soak %d --seed %d)%n", seed, seconds, seconds, seed);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "distarch-soak-");
        int violations;
        try {
            violations = new Soak().run(dir, seconds, seed, script);
        } catch (RuntimeException e) {
            System.out.println("soak: could not run: " + e);
            System.out.println("soak: kept " + dir + " (master.log)");
            System.exit(2);
            return;
        }
        System.out.printf("soak: %s (seed %d)%n", violations == 0 ? "PASSED, no violation" : "FAILED, " + violations
                + " violation(s)", seed);
        if (violations > 0 || keep) {
            System.out.println("soak: kept " + dir + " (master.log, ledger/)");
        } else {
            delete(dir);
        }
        System.exit(violations == 0 ? 0 : 1);
    }

    private int run(Path dir, long seconds, long seed, Path script) throws IOException, InterruptedException {
        String token = Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path ledger = Files.createDirectory(dir.resolve("ledger"));
        Path worker = dir.resolve("soak-worker.sh");
        Files.writeString(worker, WORKER, StandardCharsets.UTF_8);
        try (SoakHosts hosts = SoakHosts.up(script, dir.resolve("hosts"), HOSTS)) {
            Path config = dir.resolve("soak.yaml");
            Files.writeString(config, config(worker, ledger, token, hosts.names(), freePort()), StandardCharsets.UTF_8);
            Census census = new Census(token, hosts.initPids());
            FaultLog faultLog = new FaultLog();
            Invariants invariants = new Invariants(limits(hosts.names()), faultLog);
            MasterRun master = new MasterRun(config, hosts.sshConfig(), dir.resolve("master.log"));
            Faults faults = new Faults(seed, faultLog, master, hosts);
            long t0 = System.currentTimeMillis();
            master.start();
            int violations = 0;
            try {
                long warm = untilComplete(census, invariants, master, t0, WARM_LIMIT_MS);
                if (warm < 0) {
                    System.out.println("soak: the fleet never stood complete within " + WARM_LIMIT_MS / 1000 + " s: see "
                            + dir.resolve("master.log"));
                    return 1 + invariants.report();
                }
                System.out.printf(Locale.ROOT, "soak: fleet complete %.1f s after run-master; faults begin%n", warm / 1000.0);
                long end = System.currentTimeMillis() + seconds * 1000;
                long next = System.currentTimeMillis() + faults.pause();
                while (System.currentTimeMillis() < end) {
                    long now = System.currentTimeMillis() - t0;
                    List<Census.Proc> procs = census.take();
                    invariants.sample(procs, now);
                    invariants.sampleMaster(master.pid(), false, now);
                    violations += restartIfExited(master, now);
                    faults.undo(now, false);
                    if (System.currentTimeMillis() >= next) {
                        faults.inject(procs, now);
                        next = System.currentTimeMillis() + faults.pause();
                    }
                    Thread.sleep(SAMPLE_MS);
                }
                faults.undo(System.currentTimeMillis() - t0, true);
                long stormEnd = System.currentTimeMillis() - t0;
                long settled = untilComplete(census, invariants, master, t0, SETTLE_LIMIT_MS);
                System.out.printf("faults injected: %s%n", faultLog.summary());
                System.out.printf(Locale.ROOT, "invariant: the fleet comes back to its configuration after the faults: %s%n",
                        settled < 0 ? "VIOLATED (not within " + SETTLE_LIMIT_MS / 1000 + " s)"
                                : String.format(Locale.ROOT, "held (%.1f s after the last fault)", (settled - stormEnd) / 1000.0));
                violations += settled < 0 ? 1 : 0;
            } finally {
                faults.undo(System.currentTimeMillis() - t0, true);
                violations += stop(master, census, invariants, hosts, t0);
            }
            violations += invariants.report();
            System.out.printf("master: %d lives (started once, then again after each kill-master)%n", master.lives());
            violations += queue(ledger, faults);
            return violations;
        } finally {
            killLeftovers(token);
        }
    }

    /** A master that ended by itself (not killed by the soak) is a violation: it is started again. */
    private static int restartIfExited(MasterRun master, long now) throws IOException {
        Integer code = master.exitCode();
        if (code == null) {
            return 0;
        }
        System.out.printf(Locale.ROOT, "  VIOLATION: %.1f s: the master (pid %d) exited by itself with code %d (see "
                + "master.log); started again%n", now / 1000.0, master.pid(), code);
        master.start();
        return 1;
    }

    /** Samples until the fleet is as configured; its time since t0, or -1 past the limit. */
    private static long untilComplete(Census census, Invariants invariants, MasterRun master, long t0, long limit)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + limit;
        while (System.currentTimeMillis() < deadline) {
            long now = System.currentTimeMillis() - t0;
            boolean complete = invariants.sample(census.take(), now);
            invariants.sampleMaster(master.pid(), complete, now);
            if (complete) {
                return now;
            }
            Thread.sleep(SAMPLE_MS);
        }
        return -1;
    }

    /** SIGTERM to the master; then nothing of the soak may be left, here or on any host. Returns violations. */
    private static int stop(MasterRun master, Census census, Invariants invariants, SoakHosts hosts, long t0)
            throws IOException, InterruptedException {
        long asked = System.currentTimeMillis();
        int code = master.stop(STOP_LIMIT_S);
        long stopped = System.currentTimeMillis();
        System.out.printf(Locale.ROOT, "stop: master exit code %d, %.1f s after SIGTERM%n", code, (stopped - asked) / 1000.0);
        int violations = code == 0 ? 0 : 1;
        List<Census.Proc> left = census.take();
        int atExit = left.size();
        while (!left.isEmpty() && System.currentTimeMillis() - stopped < LEFT_LIMIT_MS) {
            invariants.sample(left, System.currentTimeMillis() - t0);
            Thread.sleep(SAMPLE_MS);
            left = census.take();
        }
        invariants.finish(System.currentTimeMillis() - t0);
        List<String> onHosts = new ArrayList<>();
        for (String host : hosts.names()) {
            for (String p : hosts.leftOn(host)) {
                onHosts.add(host + ": " + p);
            }
        }
        boolean clean = left.isEmpty() && onHosts.isEmpty();
        System.out.printf("invariant: nothing left after the stop: %s (%d soak process(es) alive when the master exited, "
                + "%d after %d s more; %d on the hosts by their own ps)%n", clean ? "held" : "VIOLATED", atExit, left.size(),
                LEFT_LIMIT_MS / 1000, onHosts.size());
        left.forEach(p -> System.out.println("  VIOLATION: left: " + p));
        onHosts.forEach(p -> System.out.println("  VIOLATION: left on " + p));
        return violations + (clean ? 0 : 1);
    }

    private static int queue(Path ledger, Faults faults) throws IOException {
        QueueLedger.Figures q = QueueLedger.check(ledger, faults.killedFeeders());
        System.out.printf("invariant: every queue item exactly one outcome per feeder life: %s (%d feeder lives, %d "
                + "SIGKILLed; %d items issued, %d ok, %d errors, %d in flight when their feeder was killed; %d items "
                + "handled more than once, as redelivery allows)%n", q.violations().isEmpty() ? "held" : "VIOLATED",
                q.lives(), q.killedLives(), q.issued(), q.ok(), q.errors(), q.inFlightAtKill(), q.handledTwiceOrMore());
        q.errorReasons().forEach((reason, n) -> System.out.printf("  errors: %d x %s%n", n, reason));
        q.violations().stream().limit(20).forEach(v -> System.out.println("  VIOLATION: " + v));
        if (q.violations().size() > 20) {
            System.out.println("  ... and " + (q.violations().size() - 20) + " more");
        }
        int violations = q.violations().isEmpty() ? 0 : 1;
        if (q.ok() == 0) {
            System.out.println("  VIOLATION: no item succeeded: the queue did no work");
            violations++;
        }
        return violations;
    }

    /** Per group, queue role and host: the processes configured there. */
    private static Map<String, Integer> limits(List<String> hosts) {
        Map<String, Integer> limits = new LinkedHashMap<>();
        limits.put(Invariants.key("Local", null, Census.LOCAL), 2);
        limits.put(Invariants.key("Slow", null, Census.LOCAL), 1);
        for (String host : hosts) {
            limits.put(Invariants.key("Remote", null, host), 1);
        }
        limits.put(Invariants.key("Queue", "feeder", Census.LOCAL), 1);
        limits.put(Invariants.key("Queue", "consumer", Census.LOCAL), 2);
        return limits;
    }

    private static String config(Path worker, Path ledger, String token, List<String> hosts, int port) {
        String restart = "{initial_backoff: 0.5, max_backoff: 2, reset_after: 5, max_failures: 1000}";
        return """
                distributed_architecture:
                  groups:
                    Local:
                      command: %1$s
                      bin_path: /bin/sh
                      timeout: 5
                      environment: {SOAK_RUN: "%2$s", SOAK_STOP_S: 0}
                      restart: %3$s
                      local: {instances_count: 2}
                    Slow:
                      command: %1$s
                      bin_path: /bin/sh
                      timeout: 5
                      stop_timeout: %4$d
                      environment: {SOAK_RUN: "%2$s", SOAK_STOP_S: %5$d}
                      restart: %3$s
                      local: {instances_count: 1}
                    Remote:
                      command: %1$s
                      bin_path: /bin/sh
                      timeout: 5
                      stop_timeout: %6$d
                      environment: {SOAK_RUN: "%2$s", SOAK_STOP_S: %7$d}
                      restart: %3$s
                      remote: [{instances_count: 1, hosts: [%8$s]}]
                  queue_groups:
                    Queue:
                      command: soak:queue
                      params: {ledger: "%9$s", handle_ms: 200}
                      environment: {SOAK_RUN: "%2$s"}
                      redeliver: {max_attempts: 5}
                      network_timeout: 5
                      stop_timeout: 10
                      restart: %3$s
                      local_feeder: {bind_to: 127.0.0.1, port: %10$d}
                      consumers:
                        local: {instances_count: 2, host: 127.0.0.1}
                """.formatted(worker, token, restart, SLOW_STOP_S + 5, SLOW_STOP_S, REMOTE_STOP_S + 6, REMOTE_STOP_S,
                String.join(", ", hosts), ledger, port);
    }

    /** The workers of the three groups: ping every second; asked to stop, take SOAK_STOP_S seconds to finish. */
    private static final String WORKER = """
            # bin/soak's worker: pings every second; after SIGTERM it takes $SOAK_STOP_S seconds to finish.
            # SIGPIPE ignored, as a JVM does: a worker whose master died keeps finishing (its writes just fail).
            trap '' PIPE
            stop=0
            trap 'stop=1' TERM
            echo "ready (pid $$)"
            while [ "$stop" = 0 ]; do echo '@@distarch ping'; sleep 1 & wait $!; done
            i=0
            while [ "$i" -lt "${SOAK_STOP_S:-0}" ]; do echo "finishing ($i s)"; sleep 1; i=$((i + 1)); done
            echo finished
            """;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** After the report: SIGKILL whatever of this run is still alive here (the hosts go down with theirs). */
    private static void killLeftovers(String token) {
        new Census(token, Map.of()).take().forEach(p -> ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly));
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
