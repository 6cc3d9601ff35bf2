package org.distarch.testkit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.distarch.worker.WorkerContext;
import sun.misc.Signal;

/** Runs the steps of one {@link ScriptedWorker} in order. */
final class ScriptRun {

    private static final byte[] LINE = "line ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GARBAGE = {
        (byte) 0xC3, '(', (byte) 0xFF, (byte) 0xFE, (byte) 0x80, ' ', // invalid UTF-8
        0, 'n', 'u', 'l', 0, ' ',                                          // NUL bytes
        0x1B, '[', '3', '1', 'm', 'r', 'e', 'd', 0x1B, '[', '0', 'm', ' ', // ANSI escapes
        'c', 'r', '\r', 'x', ' ',                                          // a bare CR
        (byte) 0xF0, (byte) 0x9F, '\n',                                    // truncated 4-byte sequence
    };

    private final WorkerContext context;
    private final IntConsumer exit;
    private final PrintStream out;
    private boolean ignoringStop;

    ScriptRun(WorkerContext context, IntConsumer exit) {
        this.context = context;
        this.exit = exit;
        this.out = context.out();
    }

    /** Runs the steps; stops early when a sleep was cut short by a stop request or after exit. */
    void run(List<Script.Step> steps) throws Exception {
        for (Script.Step step : steps) {
            if (!run(step)) {
                return;
            }
        }
    }

    /** Returns false when the script must end here. */
    private boolean run(Script.Step step) throws Exception {
        if (step instanceof Script.Print print) {
            print(print.lines());
        } else if (step instanceof Script.Say say) {
            out.println(Placeholders.expand(say.text(), context));
        } else if (step instanceof Script.Log log) {
            log(log);
        } else if (step instanceof Script.Sleep sleep) {
            return sleep(sleep.duration());
        } else if (step instanceof Script.Work work) {
            return work(work.duration());
        } else if (step instanceof Script.Silent silent) {
            silentSleep(silent.duration().toMillis());
        } else if (step instanceof Script.Exit exitStep) {
            return exit(exitStep.code());
        } else if (step instanceof Script.Crash) {
            out.println("crashing");
            return exit(3);
        } else if (step instanceof Script.Hang) {
            hang();
        } else if (step instanceof Script.IgnoreTerm) {
            Signal.handle(new Signal("TERM"), signal -> { });
            ignoringStop = true;
        } else if (step instanceof Script.ForkChild child) {
            Process process = new ProcessBuilder("sleep", child.seconds()).inheritIO().start();
            out.println("child " + process.pid());
        } else if (step instanceof Script.Garbage) {
            out.write(GARBAGE);
            out.write("after-garbage\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } else if (step instanceof Script.HugeLine huge) {
            hugeLine(huge.bytes());
        } else if (step instanceof Script.PidFile pidFile) {
            Path path = Path.of(Placeholders.expand(pidFile.path(), context));
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.writeString(path, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return true;
    }

    /** {@code line 1} … {@code line N}, through a 64 KiB buffer: a million lines take well under a second. */
    private void print(long lines) throws IOException {
        OutputStream buffered = new BufferedOutputStream(out, 1 << 16);
        byte[] line = Arrays.copyOf(LINE, LINE.length + 21);
        for (long i = 1; i <= lines; i++) {
            int length = LINE.length + writeDigits(i, line, LINE.length);
            line[length] = '\n';
            buffered.write(line, 0, length + 1);
        }
        buffered.flush();
    }

    private static int writeDigits(long value, byte[] target, int offset) {
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        long rest = value;
        for (int i = offset + digits - 1; i >= offset; i--) {
            target[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return digits;
    }

    private void log(Script.Log log) {
        String text = Placeholders.expand(log.text(), context);
        switch (log.level()) {
            case TRACE -> context.logger().trace(text);
            case DEBUG -> context.logger().debug(text);
            case INFO -> context.logger().info(text);
            case WARN -> context.logger().warn(text);
            default -> context.logger().error(text);
        }
    }

    private boolean sleep(Duration duration) {
        if (ignoringStop) {
            stubbornSleep(duration);
            return true;
        }
        return context.sleep(duration);
    }

    private boolean work(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        for (long remaining = duration.toNanos(); remaining > 0; remaining = end - System.nanoTime()) {
            out.println("working " + context.id());
            if (!sleep(Duration.ofNanos(Math.min(remaining, 1_000_000_000L)))) {
                return false;
            }
        }
        return true;
    }

    /** Sleeps through stop requests, still pinging: only a kill ends it early. */
    private void stubbornSleep(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        for (long remaining = duration.toNanos(); remaining > 0; remaining = end - System.nanoTime()) {
            context.ping();
            silentSleep(Math.max(1, Math.min(remaining / 1_000_000, 500)));
        }
    }

    /** No output, no ping. */
    private static void silentSleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void hang() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException ignored) {
                // ignores everything: only a kill ends it
            }
        }
    }

    private void hugeLine(long bytes) {
        byte[] chunk = new byte[1 << 16];
        Arrays.fill(chunk, (byte) 'x');
        for (long left = bytes; left > 0; left -= chunk.length) {
            out.write(chunk, 0, (int) Math.min(left, chunk.length));
        }
        out.print("\nafter-huge\n");
        out.flush();
    }

    private boolean exit(int code) {
        out.flush();
        System.out.flush();
        System.err.flush();
        exit.accept(code);
        return false; // only reached when exit is a test double
    }
}
