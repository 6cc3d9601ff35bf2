package org.distarch.control.socket;

import java.util.List;
import java.util.Optional;
import org.distarch.control.ControlResult;
import org.distarch.logs.LogLine;
import org.distarch.logs.LogSelector;
import org.distarch.logs.ProcessLogs;

/**
 * The control socket's log operations, apart from the other operations so that each stays small: {@code logs}
 * (the last lines of a process, a group or all, and with {@code follow} every new one) and {@code reopen-logs}
 * (the per-process files and a service's log open again, for logrotate). Runs on a control worker thread.
 */
final class LogsOp {

    /** What the control socket needs for them: the store, and how to reopen the log files. */
    record Logs(ProcessLogs store, Runnable reopen) {}

    /** The answer, and for an accepted {@code logs} the stream that follows it. */
    record Start(ControlResponse answer, LogStream stream) {}

    private LogsOp() {}

    static Start logs(Logs logs, ControlRequest r, Runnable wakeup) {
        LogsRequest q = r.logs() == null ? new LogsRequest(null, null, null, false, 0) : r.logs();
        if (logs == null) {
            return refused("this master keeps no logs");
        }
        if (r.group() != null || r.force() || r.dryRun() || r.config() != null) {
            return refused("logs takes its arguments in \"logs\" only; nothing was done");
        }
        if (q.process() != null && q.group() != null) {
            return refused("give a process or a group, not both");
        }
        int lines = q.linesOrDefault();
        if (lines < 0 || lines > LogsRequest.MAX_LINES) {
            return refused("lines must be between 0 and " + LogsRequest.MAX_LINES + " (got " + lines + ")");
        }
        if (q.after() < 0) {
            return refused("after must be a sequence number, 0 or more (got " + q.after() + ")");
        }
        ProcessLogs store = logs.store();
        LogSelector selector;
        String what;
        if (q.process() != null) {
            Optional<Integer> id = store.resolve(q.process());
            if (id.isEmpty()) {
                return refused("No process \"" + q.process() + "\" (give its id, as status shows, or group/groupId, "
                        + "e.g. " + example(store) + ")");
            }
            selector = LogSelector.process(id.get());
            what = "process " + q.process();
        } else if (q.group() != null) {
            if (!store.groups().contains(q.group())) {
                return refused("No group named \"" + q.group() + "\"; groups: " + String.join(", ", store.groups()));
            }
            selector = LogSelector.group(q.group());
            what = "group \"" + q.group() + "\"";
        } else {
            selector = LogSelector.all();
            what = "every process";
        }
        LogStream stream;
        if (q.follow()) {
            ProcessLogs.Follow f = store.follow(selector, q.after(), lines, LogStream.SUBSCRIPTION_CAPACITY, wakeup);
            stream = new LogStream(f.backlog(), f.live(), q.after());
        } else {
            List<LogLine> backlog = store.tail(selector, q.after(), lines);
            stream = new LogStream(backlog, null, q.after());
        }
        return new Start(new ControlResponse(ControlResult.done("Logs of " + what + (q.follow() ? ", following" : "")),
                null), stream);
    }

    static ControlResponse reopen(Logs logs) {
        if (logs == null || logs.reopen() == null) {
            return refusal("this master has no log files to reopen");
        }
        logs.reopen().run();
        return new ControlResponse(ControlResult.done("Reopening the log files"), null);
    }

    private static String example(ProcessLogs store) {
        return store.groups().stream().findFirst().map(g -> "1 or " + g + "/1").orElse("1");
    }

    private static Start refused(String message) {
        return new Start(refusal(message), null);
    }

    private static ControlResponse refusal(String message) {
        return new ControlResponse(ControlResult.refused(message), null);
    }
}
