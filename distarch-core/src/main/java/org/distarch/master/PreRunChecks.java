package org.distarch.master;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.distarch.config.GroupConfig;
import org.distarch.config.QueueGroupConfig;
import org.distarch.output.LogSink;
import org.distarch.worker.WorkerCommand;
import org.distarch.worker.protocol.LogLevel;

/**
 * Before a group starts: its worker command's {@code preRunCheck}, when the master knows the command (the
 * group runs through the master's own launcher and the application registered it), and a warning for a
 * priority that only root may set.
 */
final class PreRunChecks {

    private final Map<String, WorkerCommand> commands;
    private final LogSink log;
    private final Clock clock;
    private final BiConsumer<LogLevel, String> masterLog;

    PreRunChecks(Map<String, WorkerCommand> commands, LogSink log, Clock clock, BiConsumer<LogLevel, String> masterLog) {
        this.commands = commands;
        this.log = log;
        this.clock = clock;
        this.masterLog = masterLog;
    }

    /** True when the queue group may run; a failed check is logged with the group's name. */
    boolean passes(QueueGroupConfig group) {
        boolean usesSelf = group.settings().binPath() == null;
        List<String> words = CommandWords.split(group.command());
        WorkerCommand command = usesSelf && !words.isEmpty() ? commands.get(words.get(0)) : null;
        if (command == null) {
            return true;
        }
        return verdict(group.name(), () -> command.preRunCheck(group, new MasterSlf4jLogger(log, clock, group.name())));
    }

    private boolean verdict(String name, java.util.function.BooleanSupplier check) {
        boolean ok;
        try {
            ok = check.getAsBoolean();
        } catch (RuntimeException e) {
            masterLog.accept(LogLevel.ERROR, "Pre-run check of group \"" + name + "\" threw " + e);
            ok = false;
        }
        if (!ok) {
            masterLog.accept(LogLevel.ERROR, "Pre-run check of group \"" + name + "\" failed: the group is skipped");
        }
        return ok;
    }

    /** True when the group may run; a failed check is logged with the group's name. */
    boolean passes(GroupConfig group) {
        Integer priority = group.local() == null ? null
                : group.settings().overriddenBy(group.local().settings()).priority();
        if (priority != null && priority < 0 && !"root".equals(System.getProperty("user.name"))) {
            masterLog.accept(LogLevel.WARN, "Group \"" + group.name() + "\" asks for priority " + priority
                    + ": only root may raise a priority, so nice will refuse it and the workers run at normal priority");
        }
        boolean usesSelf = group.settings().binPath() == null
                && (group.local() == null || group.local().settings().binPath() == null);
        List<String> words = CommandWords.split(group.command());
        WorkerCommand command = usesSelf && !words.isEmpty() ? commands.get(words.get(0)) : null;
        if (command == null) {
            return true;
        }
        return verdict(group.name(), () -> command.preRunCheck(group, new MasterSlf4jLogger(log, clock, group.name())));
    }
}
