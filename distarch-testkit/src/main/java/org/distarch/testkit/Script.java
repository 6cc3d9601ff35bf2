package org.distarch.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.distarch.worker.protocol.LogLevel;

/** The steps of a {@link ScriptedWorker}, parsed from {@code params.script}. */
final class Script {

    sealed interface Step {}

    record Print(long lines) implements Step {}

    record Say(String text) implements Step {}

    record Log(LogLevel level, String text) implements Step {}

    record Sleep(Duration duration) implements Step {}

    record Work(Duration duration) implements Step {}

    record Silent(Duration duration) implements Step {}

    record Exit(int code) implements Step {}

    record Crash() implements Step {}

    record Hang() implements Step {}

    record IgnoreTerm() implements Step {}

    record ForkChild(String seconds) implements Step {}

    record Garbage() implements Step {}

    record HugeLine(long bytes) implements Step {}

    record PidFile(String path) implements Step {}

    private Script() {}

    /**
     * Reads {@code params.script}: a list of steps, or one string with a step per line.
     *
     * @throws IllegalArgumentException naming the first bad step
     */
    static List<Step> parse(Object script) {
        if (script == null) {
            throw new IllegalArgumentException("params.script is missing: list the steps to run");
        }
        List<String> lines = new ArrayList<>();
        if (script instanceof List<?> list) {
            list.forEach(item -> lines.add(String.valueOf(item)));
        } else {
            for (String line : String.valueOf(script).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        List<Step> steps = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            try {
                steps.add(step(lines.get(i).strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("step " + (i + 1) + " '" + lines.get(i) + "': " + e.getMessage(), e);
            }
        }
        return steps;
    }

    private static Step step(String line) {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toLowerCase(Locale.ROOT);
        String argument = space < 0 ? "" : line.substring(space + 1).strip();
        switch (verb) {
            case "print": return new Print(count(argument));
            case "say": return new Say(argument);
            case "log": return log(argument);
            case "sleep": return new Sleep(seconds(argument));
            case "work": return new Work(seconds(argument));
            case "silent": return new Silent(seconds(argument));
            case "exit": return new Exit(exitCode(argument));
            case "crash": return none(argument, new Crash());
            case "hang": return none(argument, new Hang());
            case "ignore-term": return none(argument, new IgnoreTerm());
            case "fork-child": return forkChild(argument);
            case "garbage": return none(argument, new Garbage());
            case "huge-line": return new HugeLine(count(argument));
            case "pid-file": return new PidFile(required(argument, "a path"));
            default: throw new IllegalArgumentException("unknown step");
        }
    }

    private static Step log(String argument) {
        int space = argument.indexOf(' ');
        String levelText = space < 0 ? argument : argument.substring(0, space);
        LogLevel level = LogLevel.parse(levelText).orElseThrow(
                () -> new IllegalArgumentException("expected a level (trace|debug|info|warn|error), got '" + levelText + "'"));
        return new Log(level, space < 0 ? "" : argument.substring(space + 1));
    }

    private static Step forkChild(String argument) {
        seconds(argument);
        return new ForkChild(argument);
    }

    private static Step none(String argument, Step step) {
        if (!argument.isEmpty()) {
            throw new IllegalArgumentException("takes no argument");
        }
        return step;
    }

    private static String required(String argument, String what) {
        if (argument.isEmpty()) {
            throw new IllegalArgumentException("expected " + what);
        }
        return argument;
    }

    private static long count(String argument) {
        try {
            long value = Long.parseLong(required(argument, "a count"));
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a count, got '" + argument + "'", e);
        }
    }

    private static int exitCode(String argument) {
        try {
            int value = Integer.parseInt(required(argument, "an exit code"));
            if (value < 0 || value > 255) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an exit code 0..255, got '" + argument + "'", e);
        }
    }

    private static Duration seconds(String argument) {
        try {
            double seconds = Double.parseDouble(required(argument, "seconds"));
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos((long) (seconds * 1e9));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected seconds, got '" + argument + "'", e);
        }
    }
}
