package org.distarch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distarch.history.HistoryEntry;
import org.distarch.history.HistoryException;
import org.distarch.history.HistoryJson;
import org.distarch.history.HistoryKind;
import org.distarch.history.HistoryOptions;
import org.distarch.history.HistoryPage;
import org.distarch.history.HistoryQuery;
import org.distarch.history.HistoryStore;
import org.distarch.history.ProcessSummary;
import org.distarch.history.RunRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Shows what the master's history kept: each run's processes as last seen, then their transitions, "
                    + "exits, control actions, relay connections and queue totals, newest first.",
            "",
            "Reads the history database directly (history.db beside the pid file), so it works whether or not "
                    + "the master runs; after a restart, --previous shows the run before. With --url, asks the "
                    + "master at that URL over its HTTP API (the token from $DISTARCH_TOKEN), whatever its database.",
            ""
        },
        footer = {"", "Exit codes: 0 shown; 1 the database or the API refused; 2 no history there, no such run, no "
                + "master at --url, or a bad option."})
final class HistoryCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    @Parameters(arity = "0..1", paramLabel = "PROCESS",
            description = "Only this process: its id (3) or its name as status shows it (demo:ticker/3/1).")
    String process;

    @Option(names = "--group", paramLabel = "GROUP", description = "Only this group's processes, actions and queue "
            + "totals.")
    String group;

    static final class RunChoice {
        @Option(names = "--run", paramLabel = "N", description = "This run (see --runs); default: the latest.")
        Long run;

        @Option(names = "--previous", description = "The run before the latest (after a restart: the one before it).")
        boolean previous;

        @Option(names = "--all-runs", description = "Every run still kept.")
        boolean all;
    }

    @ArgGroup(exclusive = true)
    RunChoice runChoice = new RunChoice();

    @Option(names = "--since", paramLabel = "DURATION", description = "Only what happened in the last DURATION "
            + "(30s, 10m, 2h, 7d).")
    String since;

    @Option(names = "--kind", paramLabel = "KIND", split = ",", description = "Only these kinds: transition, exit, "
            + "action, relay, queue_totals (comma-separated).")
    List<String> kinds;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N entries, newest first "
            + "(default: ${DEFAULT-VALUE}, at most 10000).")
    int limit;

    @Option(names = "--runs", description = "List the runs (master starts) instead.")
    boolean runs;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--pid", paramLabel = "FILE", defaultValue = ServicePaths.DEFAULT_PID,
            description = "The master's pid file; the history is history.db beside it (default: ${DEFAULT-VALUE}).")
    Path pidFile;

    @Option(names = "--url", paramLabel = "URL", description = "Ask the master at this URL over its HTTP API "
            + "(e.g. https://master.example:8642/) instead of reading the database; the token is read from $"
            + HttpControl.TOKEN_ENV + ".")
    String url;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "With --url: give up when the master has not answered within this (default: "
                    + "${DEFAULT-VALUE}).")
    long timeout;

    @Override
    public Integer call() {
        HistoryQuery query;
        try {
            query = query();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return ExitCodes.USAGE;
        }
        String where;
        HistorySource source;
        if (url != null) {
            try {
                source = HistorySource.http(url, System.getenv(HttpControl.TOKEN_ENV),
                        Duration.ofSeconds(Math.max(1, timeout)));
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return ExitCodes.USAGE;
            }
            where = url;
        } else {
            HistoryOptions options = MasterHistory.defaultOptions(pidFile);
            if (!Files.isRegularFile(options.sqliteFile())) {
                System.err.println("No history at " + options.sqliteFile() + ": no master with --pid " + pidFile
                        + " has run yet");
                return ExitCodes.USAGE;
            }
            try {
                source = HistorySource.of(HistoryStore.open(options));
            } catch (HistoryException e) {
                System.err.println(e.getMessage());
                return ExitCodes.FAILED;
            }
            where = options.sqliteFile().toString();
        }
        try (HistorySource store = source) {
            if (runs) {
                return listRuns(store.runs(limit));
            }
            Optional<RunRecord> run = chosenRun(store);
            if (run.isEmpty() && !runChoice.all) {
                System.err.println(runChoice.run != null ? "No run " + runChoice.run + " in " + where
                        + " (see --runs)" : runChoice.previous ? "No previous run in " + where
                        : "No run recorded yet in " + where);
                return ExitCodes.USAGE;
            }
            if (run.isPresent()) {
                query = query.run(run.get().id());
            }
            Integer only = query.processId();
            List<ProcessSummary> processes = run.map(r -> store.processes(r.id())).orElse(List.of()).stream()
                    .filter(p -> only == null || p.processId() == only)
                    .filter(p -> group == null || group.equals(p.group())).toList();
            HistoryPage page = store.query(query);
            if (json) {
                printJson(run.orElse(null), processes, page);
            } else {
                printText(run.orElse(null), processes, page);
            }
            return 0;
        } catch (HistoryException e) {
            System.err.println(e.getMessage());
            return ExitCodes.FAILED;
        } catch (HistorySource.Unreachable e) {
            System.err.println(e.getMessage());
            return e.getCause() != null ? ExitCodes.NO_MASTER : ExitCodes.FAILED;
        }
    }

    private HistoryQuery query() {
        HistoryQuery q = HistoryQuery.all().limit(limit).group(group).process(processId(process));
        if (kinds != null) {
            Set<HistoryKind> set = EnumSet.noneOf(HistoryKind.class);
            kinds.forEach(k -> set.add(HistoryKind.parse(k)));
            q = q.kinds(set);
        }
        if (since != null) {
            q = q.between(Instant.now().minus(duration(since)), null);
        }
        return q;
    }

    private Optional<RunRecord> chosenRun(HistorySource store) {
        if (runChoice.all) {
            return Optional.empty();
        }
        if (runChoice.run != null) {
            return store.run(runChoice.run);
        }
        List<RunRecord> latest = store.runs(2);
        int index = runChoice.previous ? 1 : 0;
        return latest.size() > index ? Optional.of(latest.get(index)) : Optional.empty();
    }

    private static final Pattern NAMED = Pattern.compile(".*/(\\d+)/\\d+$");

    static Integer processId(String text) {
        if (text == null) {
            return null;
        }
        if (text.matches("\\d{1,9}")) {
            return Integer.parseInt(text);
        }
        Matcher m = NAMED.matcher(text);
        if (m.matches() && m.group(1).length() <= 9) {
            return Integer.parseInt(m.group(1));
        }
        throw new IllegalArgumentException("PROCESS must be a process id (3) or a process name as status shows it "
                + "(demo:ticker/3/1), not \"" + text + "\"");
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd])");

    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--since must be a number and a unit: 30s, 10m, 2h or 7d (got \""
                    + text + "\")");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private int listRuns(List<RunRecord> list) {
        if (json) {
            ObjectNode root = HistoryJson.mapper().createObjectNode();
            ArrayNode array = root.putArray("runs");
            list.forEach(r -> array.add(HistoryJson.object(r)));
            System.out.println(root);
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RUN", "STARTED", "STOPPED", "EXIT", "HOST", "PID", "CONFIG", "REASON"});
        for (RunRecord r : list) {
            rows.add(new String[] {Long.toString(r.id()), TIME.format(r.started()),
                r.stopped() == null ? "-" : TIME.format(r.stopped()), r.exitCode() == null ? "-" : r.exitCode().toString(),
                r.host(), Long.toString(r.pid()), String.valueOf(r.config()), r.reason() == null ? "" : r.reason()});
        }
        Table.print(rows);
        return 0;
    }

    private void printJson(RunRecord run, List<ProcessSummary> processes, HistoryPage page) {
        ObjectNode root = HistoryJson.mapper().createObjectNode();
        root.set("run", run == null ? null : HistoryJson.object(run));
        ArrayNode ps = root.putArray("processes");
        processes.forEach(p -> ps.add(HistoryJson.object(p)));
        ArrayNode entries = root.putArray("entries");
        page.entries().forEach(e -> entries.add(HistoryJson.entry(e)));
        root.put("next", page.next());
        System.out.println(root);
    }

    private void printText(RunRecord run, List<ProcessSummary> processes, HistoryPage page) {
        if (run != null) {
            System.out.println("run " + run.id() + ": started " + TIME.format(run.started()) + " on " + run.host()
                    + " (pid " + run.pid() + ", config " + run.config() + ", distarch " + run.version() + "), "
                    + (run.stopped() == null ? "no end recorded (running, or died)"
                    : "stopped " + TIME.format(run.stopped()) + (run.exitCode() == null ? "" : ", exit " + run.exitCode())
                    + (run.reason() == null ? "" : " (" + run.reason() + ")")));
        }
        if (!processes.isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "GROUP", "HOST", "PROCESS", "STATE", "SINCE", "STARTS", "EXITS", "LAST EXIT"});
            for (ProcessSummary p : processes) {
                rows.add(new String[] {Integer.toString(p.processId()), p.group(), p.host(), p.process(), p.state(),
                    TIME.format(p.since()), Integer.toString(p.starts()), Integer.toString(p.exits()),
                    p.exits() == 0 ? "-" : describeExit(p.lastExitCode(), p.lastExitSignal(), p.lastExitReason())});
            }
            System.out.println();
            Table.print(rows);
        }
        System.out.println();
        if (page.entries().isEmpty()) {
            System.out.println("No entries" + (run == null ? "" : " in this run") + " for these filters.");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TIME", "KIND", "ABOUT", "WHAT"});
        page.entries().forEach(e -> rows.add(new String[] {TIME.format(e.time()), e.kind().label(), about(e), what(e)}));
        Table.print(rows);
        if (page.next() != null) {
            System.out.println("(older entries left out: raise --limit, or narrow with --since, --kind, PROCESS)");
        }
    }

    private static String about(HistoryEntry e) {
        if (e instanceof HistoryEntry.Transition t) {
            return "[" + t.group() + "] [" + t.host() + "] [" + t.process() + "]";
        } else if (e instanceof HistoryEntry.Exit x) {
            return "[" + x.group() + "] [" + x.host() + "] [" + x.process() + "]";
        } else if (e instanceof HistoryEntry.Action a) {
            return a.who() + " via " + a.via();
        } else if (e instanceof HistoryEntry.Relay r) {
            return "relay on " + r.host();
        }
        return "[" + ((HistoryEntry.QueueTotals) e).group() + "]";
    }

    private static String what(HistoryEntry e) {
        if (e instanceof HistoryEntry.Transition t) {
            return (t.from() == null ? "" : t.from() + " -> ") + t.to() + (t.reason() == null ? "" : " (" + t.reason()
                    + ")");
        } else if (e instanceof HistoryEntry.Exit x) {
            return x.outcome() + (x.restartIn() == null ? "" : " in " + x.restartIn().toMillis() / 1000.0 + " s")
                    + ": " + describeExit(x.code(), x.signal(), x.reason()) + "; restarts before: " + x.restarts();
        } else if (e instanceof HistoryEntry.Action a) {
            return a.action() + (a.target() == null ? "" : " " + a.target()) + ": " + (a.ok() ? "done" : "refused")
                    + (a.result() == null ? "" : " (" + a.result() + ")");
        } else if (e instanceof HistoryEntry.Relay r) {
            return r.state() + (r.reason() == null ? "" : " (" + r.reason() + ")");
        }
        var q = (HistoryEntry.QueueTotals) e;
        return "done " + q.done() + ", failed " + q.failed() + ", redelivered " + q.redelivered();
    }

    private static String describeExit(Integer code, Integer signal, String reason) {
        String exit = code == null ? "never ran" : signal != null && signal > 0 ? "signal " + signal : "exit code " + code;
        return reason == null ? exit : reason.contains(exit) ? reason : exit + " (" + reason + ")";
    }
}
