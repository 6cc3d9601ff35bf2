package org.distarch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.distarch.control.socket.ControlClient;
import org.distarch.control.socket.ControlCodec;
import org.distarch.control.socket.ControlRequest;
import org.distarch.control.socket.LogsRequest;
import org.distarch.logs.LogLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Shows the last output lines the running master kept of a process, a group or every process "
                + "(stdout and stderr, with each line's stream and level, and the master's start and exit markers), "
                + "and with -f follows new ones as they come, as pm2 logs and supervisorctl tail -f do.",
            "",
            "Each line: time, level, group/groupId (id N, host), stream, text. The master keeps logs.buffer_lines "
                    + "lines per process (default 1000); per-process files are configured with logs.dir.",
            "",
            "With --url URL (and a token in $DISTARCH_TOKEN) it reads the master's HTTP API instead of its control "
                    + "socket, with the same output.",
            "",
            "--reopen makes the master reopen its per-process log files and a service's log (after logrotate moved "
                    + "them); a foreground master's SIGHUP stops it, so use this in logrotate's postrotate. With "
                    + "--url it asks over the HTTP API (operator role)."},
        footer = {"", "Exit codes: 0 done (or -f ended by Ctrl-C or the master stopping); 1 refused (unknown process "
                + "or group) or cut off as too slow; 2 no master answered."})
final class LogsCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    @Mixin
    ControlSocketOption master;

    @Parameters(arity = "0..1", paramLabel = "PROCESS",
            description = "A process: its id (as status shows it) or GROUP/GROUPID; every process when absent.")
    String process;

    @Option(names = {"-g", "--group"}, paramLabel = "GROUP", description = "Every process of this group.")
    String group;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "" + LogsRequest.DEFAULT_LINES,
            description = "How many of the last lines to show first (default: ${DEFAULT-VALUE}; at most "
                    + LogsRequest.MAX_LINES + ").")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep showing new lines as they come, until Ctrl-C.")
    boolean follow;

    @Option(names = "--json", description = "Print each line as one JSON object.")
    boolean json;

    @Option(names = "--reopen", description = "Only ask the master to reopen its log files (for logrotate).")
    boolean reopen;

    @Override
    public Integer call() {
        if (reopen) {
            return master.act(ControlRequest.of("reopen-logs"));
        }
        if (process != null && group != null) {
            System.err.println("give a PROCESS or --group, not both");
            return ExitCodes.USAGE;
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        ControlClient.LogsEnd end;
        try {
            LogsRequest request = new LogsRequest(process, group, lines, follow, 0);
            java.util.function.Consumer<LogLine> print = line -> {
                out.println(json ? ControlCodec.encode(line) : format(line));
                if (follow) {
                    out.flush(); // a follower shows each line at once; a backlog is written in one go
                }
            };
            end = master.url != null
                    ? new HttpLogs(master.url, System.getenv(HttpControl.TOKEN_ENV), master.timeout).logs(request, print)
                    : ControlClient.logs(ServicePaths.socketFor(master.pidFile), ControlRequest.logs(request),
                            master.timeout, print);
        } catch (IOException | IllegalArgumentException e) {
            out.flush();
            System.err.println(e.getMessage());
            return ExitCodes.NO_MASTER;
        } finally {
            out.flush();
        }
        if (end.answer().result() == null || !end.answer().result().ok()) {
            System.err.println(end.answer().result() == null ? "the master answered without a result"
                    : end.answer().result().message());
            return ExitCodes.FAILED;
        }
        if (end.end() == null) {
            System.err.println("the master closed the connection (it stopped)");
            return follow ? 0 : ExitCodes.NO_MASTER;
        }
        if (!end.end().reason().equals("done")) {
            System.err.println("the master ended the stream: " + end.end().reason());
            return ExitCodes.FAILED;
        }
        return 0;
    }

    /** {@code 2026-11-28 04:10:01.512 WARN  W/1 (id 3, localhost) stderr: text} */
    static String format(LogLine l) {
        String level = l.level().name();
        return TIME.format(Instant.ofEpochMilli(l.epochMillis())) + ' ' + level + (level.length() == 4 ? "  " : " ")
                + l.group() + '/' + l.groupId() + " (id " + l.id() + ", " + l.host() + ") " + l.origin().wireName()
                + ": " + l.text();
    }
}
