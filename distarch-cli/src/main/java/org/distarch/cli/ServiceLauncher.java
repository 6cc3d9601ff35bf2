package org.distarch.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.distarch.launch.local.Which;

/**
 * {@code run-master --service}: starts the same program again as a detached service and returns once
 * it is confirmed running. Java cannot fork, so the service is a new JVM with the same {@code java},
 * JVM options, class path, main class and arguments, plus the hidden {@code --detached}, run as
 *
 * <pre>
 * setsid [setpriv --reuid U --regid G --init-groups --] java … run-master … --detached
 * </pre>
 *
 * with stdin from {@code /dev/null} and stdout and stderr appended to the log file. {@code setsid}
 * (util-linux) gives it a session of its own, without a controlling terminal: closing the terminal or
 * Ctrl-C there does not reach it, and once this launcher exits it is re-parented to init.
 *
 * <p>"Confirmed running" means the service's pid file names the service's pid with
 * {@code state=running}, which the service writes once its master has started every process. If it
 * exits before that, the launcher prints the last lines of the log and exits with the service's code.
 */
final class ServiceLauncher {

    /** How long the service may take to load its configuration, take the pid file and start its processes. */
    static final Duration START_LIMIT = Duration.ofSeconds(60);
    static final String DETACHED = "--detached";

    private final PrintStream out;
    private final PrintStream err;

    ServiceLauncher(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * @param args      the command line as given ({@code run-master --service …}); the service gets it again
     * @param mainClass the application's main class
     */
    int launch(Path pidFile, Path logFile, String user, String group, List<String> args, String mainClass) {
        try {
            PidFile.Check running = PidFile.check(pidFile);
            if (running.live()) {
                err.println(new PidFile.AlreadyRunningException(pidFile, running.entry().pid()).getMessage());
                return ExitCodes.USAGE;
            }
        } catch (IOException e) {
            err.println("Cannot read the pid file " + pidFile + ": " + e);
            return ExitCodes.USAGE;
        }
        PrivilegeDrop drop = null;
        int uid = ProcInfo.effectiveUid();
        if (uid == 0) {
            if (user == null) {
                err.println("As root, --service needs --user USER: the service and every process it starts run as "
                        + "that user (--user root keeps root on purpose).");
                return ExitCodes.USAGE;
            }
            try {
                drop = PrivilegeDrop.resolve(user, group);
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return ExitCodes.USAGE;
            }
        } else if (user != null || group != null) {
            err.println("Notice: --user and --group are ignored: only root can switch users (running as uid " + uid + ").");
        }
        List<String> command = new ArrayList<>();
        for (String tool : drop == null ? List.of("setsid") : List.of("setsid", "setpriv")) {
            if (Which.find(tool) == null) {
                err.println("--service needs " + tool + " (util-linux) on the PATH; it is missing. Run the master in the "
                        + "foreground instead, e.g. under systemd.");
                return ExitCodes.FAILED;
            }
        }
        command.add("setsid");
        if (drop != null) {
            command.addAll(drop.wrapper());
        }
        command.addAll(childCommand(javaCommand(mainClass), args));
        long logStart;
        try {
            prepareFiles(pidFile, logFile, drop);
            logStart = Files.size(logFile);
        } catch (IOException e) {
            err.println("Cannot prepare the service's files: " + e);
            return ExitCodes.FAILED;
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectErrorStream(true);
        if (drop != null) {
            builder.environment().putAll(drop.environment());
        }
        Process service;
        try {
            service = builder.start();
        } catch (IOException e) {
            err.println("Cannot start the service: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        return confirm(service, pidFile, logFile, logStart);
    }

    /** Waits until the service's pid file says it runs, or it exits, or {@link #START_LIMIT} passes. */
    private int confirm(Process service, Path pidFile, Path logFile, long logStart) {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        try {
            while (true) {
                if (service.waitFor(100, TimeUnit.MILLISECONDS)) {
                    int code = service.exitValue();
                    err.println("The service did not start: it exited with code " + code + ". Last lines of " + logFile
                            + ":");
                    tail(logFile, logStart, 20).forEach(l -> err.println("  " + l));
                    return code == 0 ? ExitCodes.FAILED : code;
                }
                if (runningAt(pidFile, service.pid())) {
                    out.println("Service started: master pid " + service.pid() + ", log " + logFile + ", pid file " + pidFile
                            + ". Stop it with: run-master --stop --pid " + pidFile);
                    return 0;
                }
                if (System.nanoTime() > deadline) {
                    service.descendants().forEach(ProcessHandle::destroyForcibly);
                    service.destroyForcibly();
                    err.println("The service did not confirm its start within " + START_LIMIT.toSeconds()
                            + " s and was killed. Last lines of " + logFile + ":");
                    tail(logFile, logStart, 20).forEach(l -> err.println("  " + l));
                    return ExitCodes.FAILED;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILED;
        }
    }

    private static boolean runningAt(Path pidFile, long pid) {
        try {
            PidFile.Check check = PidFile.check(pidFile);
            return check.live() && check.entry().pid() == pid && check.entry().running();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Creates the parent directories of the pid and log files and the log file itself. When dropping
     * privileges, the user gets the directories this created and the log file (the service reopens it),
     * and the default {@code var/log} under the working directory; directories that existed elsewhere
     * are left alone (never take over, say, {@code /var/log}): they must be writable by the user already.
     */
    static void prepareFiles(Path pidFile, Path logFile, PrivilegeDrop drop) throws IOException {
        Path defaultDir = Path.of(ServicePaths.DEFAULT_PID).toAbsolutePath().getParent();
        for (Path file : List.of(pidFile, logFile)) {
            Path dir = file.toAbsolutePath().getParent();
            List<Path> created = new ArrayList<>();
            for (Path d = dir; d != null && !Files.exists(d); d = d.getParent()) {
                created.add(0, d);
            }
            Files.createDirectories(dir);
            if (drop != null) {
                for (Path d : created) {
                    drop.own(d);
                }
                if (dir.equals(defaultDir)) {
                    drop.own(dir);
                }
            }
        }
        if (!Files.exists(logFile)) {
            Files.createFile(logFile);
        }
        if (drop != null) {
            drop.own(logFile);
        }
    }

    /** The service's command line: the same program and arguments, marked {@code --detached}. */
    static List<String> childCommand(List<String> java, List<String> args) {
        List<String> command = new ArrayList<>(java);
        command.addAll(args);
        command.add(DETACHED);
        return command;
    }

    /**
     * This JVM again: the same {@code java}, JVM options (minus a debugger agent, whose port is taken),
     * class path and main class.
     */
    static List<String> javaCommand(String mainClass) {
        List<String> words = new ArrayList<>();
        words.add(ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib:jdwp") && !option.startsWith("-Xrunjdwp")) {
                words.add(option);
            }
        }
        words.addAll(org.distarch.master.SelfCommand.program(mainClass));
        return words;
    }

    /** The last {@code count} lines the log received from {@code offset} on. */
    static List<String> tail(Path logFile, long offset, int count) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            long start = Math.max(length < offset ? 0 : offset, length - 64 * 1024);
            byte[] bytes = new byte[(int) (length - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return lines.subList(Math.max(0, lines.size() - count), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read " + logFile + ": " + e.getMessage() + ")");
        }
    }
}
