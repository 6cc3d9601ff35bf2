package org.distarch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the YAML tree against the {@link Schema} and builds the records by hand, so that every error carries
 * its key path. Rules that span several keys (a group must run something, one feeder, at least one consumer,
 * unique group names, max_backoff at least initial_backoff, a consumer's port defaulting to its feeder's) live
 * here; rules on one key live in the table. Warnings (valid but probably not meant) come from
 * {@link FeederAddresses}.
 */
final class ConfigValidator {

    private final Problems problems;
    /** Group name to the key path where it was first defined, to report duplicates across the two maps. */
    private final Map<String, KeyPath> names = new HashMap<>();
    private final List<ConfigWarning> warnings = new ArrayList<>();

    ConfigValidator(Problems problems) {
        this.problems = problems;
    }

    /** The configuration in {@code root}, or null when it has errors (all of them in the problems). */
    DistarchConfig validate(JsonNode root) {
        if (root == null || root.isNull()) {
            problems.add(KeyPath.ROOT, "the file is empty; it must start with \"" + Schema.ROOT_KEY + ":\"");
            return null;
        }
        if (!(root instanceof ObjectNode)) {
            problems.add(KeyPath.ROOT, "the file must hold a map with the key \"" + Schema.ROOT_KEY + "\" (got "
                    + Values.found(root) + ")");
            return null;
        }
        MapReader file = new MapReader((ObjectNode) root, KeyPath.ROOT, Schema.FILE, problems);
        MapReader top = file.map(Schema.ROOT_KEY);
        file.done();
        if (top == null) {
            return null;
        }
        List<MapReader.Named> groupEntries = top.named("groups");
        List<MapReader.Named> queueEntries = top.named("queue_groups");
        List<GroupConfig> groups = new ArrayList<>();
        for (MapReader.Named entry : groupEntries) {
            checkName(entry);
            if (entry.reader() != null) {
                groups.add(group(entry.name(), entry.reader()));
            }
        }
        List<QueueGroupConfig> queueGroups = new ArrayList<>();
        for (MapReader.Named entry : queueEntries) {
            checkName(entry);
            if (entry.reader() != null) {
                queueGroups.add(queueGroup(entry.name(), entry.reader()));
            }
        }
        if (groupEntries.isEmpty() && queueEntries.isEmpty() && top.valid("groups") && top.valid("queue_groups")) {
            problems.add(top.path(), "defines no group: add at least one entry under groups or queue_groups");
        }
        AdminConfig admin = new AdminValidator(problems).read(top.map("admin"));
        top.done();
        return new DistarchConfig(problems.source(), groups, queueGroups, warnings, admin);
    }

    private void checkName(MapReader.Named entry) {
        if (entry.name().isBlank()) {
            problems.add(entry.path(), "the group name must not be blank");
            return;
        }
        KeyPath first = names.putIfAbsent(entry.name(), entry.path());
        if (first != null) {
            problems.add(entry.path(), "Duplicate group name for " + entry.name() + " (already defined at " + first
                    + "); names must be unique across groups and queue_groups");
        }
    }

    private GroupConfig group(String name, MapReader group) {
        String command = group.string("command");
        ProcessSettings settings = settings(group);
        Map<String, Object> params = group.params("params");
        RestartConfig restart = restart(group.map("restart"));
        Duration stopTimeout = Duration.ofSeconds(group.integer("stop_timeout"));
        Long maxMemory = size(group, "max_memory");
        LogsConfig logs = logs(group.map("logs"));
        RunOptions run = runOptions(group);
        LifecycleSettings lifecycle = lifecycle(group);
        MapReader localReader = group.map("local");
        LocalEntry local = null;
        if (localReader != null) {
            local = new LocalEntry(localReader.integer("instances_count"), settings(localReader));
            localReader.done();
        }
        List<RemoteEntry> remote = new ArrayList<>();
        for (MapReader entry : group.list("remote")) {
            remote.add(new RemoteEntry(entry.integer("instances_count"), entry.string("username"),
                    entry.string("private_key"), settings(entry), entry.hosts("hosts")));
            entry.done();
        }
        if (!group.has("local") && remote.isEmpty() && group.valid("remote")) {
            problems.add(group.path(), "runs no process: add local or remote");
        }
        group.done();
        return new GroupConfig(name, command, settings, params, local, List.copyOf(remote), restart, stopTimeout,
                maxMemory, run, lifecycle, logs);
    }

    private LifecycleSettings lifecycle(MapReader group) {
        boolean autostart = group.bool("autostart");
        String strategyText = group.string("restart_strategy").trim();
        LifecycleSettings.RestartStrategy strategy = LifecycleSettings.RestartStrategy.ALL;
        if (strategyText.equals("rolling")) {
            strategy = LifecycleSettings.RestartStrategy.ROLLING;
        } else if (!strategyText.equals("all")) {
            problems.add(group.path("restart_strategy"), "must be all or rolling (got \"" + strategyText + "\")");
        }
        int batch = group.integer("rolling_batch");
        Duration healthy = duration(group, "rolling_healthy_time");
        if (healthy == null) {
            healthy = LifecycleSettings.DEFAULT.rollingHealthyTime();
        }
        Duration every = duration(group, "restart_every");
        if (every != null && every.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add(group.path("restart_every"), "must be at least 1s (got " + every.toMillis() + "ms)");
        }
        CronSchedule cron = null;
        String cronText = group.string("restart_cron");
        if (cronText != null) {
            try {
                cron = CronSchedule.parse(cronText);
            } catch (IllegalArgumentException e) {
                problems.add(group.path("restart_cron"), "must be a Unix cron expression of five fields (minute "
                        + "hour day-of-month month day-of-week, e.g. \"0 4 * * *\"): " + e.getMessage()
                        + " (got \"" + cronText + "\")");
            }
        }
        if (every != null && cron != null) {
            problems.add(group.path(), "has both restart_every and restart_cron: keep only one");
        }
        return new LifecycleSettings(autostart, strategy, batch, healthy, every, cron);
    }

    /** A duration key ({@link Durations}), or null when not set or wrong (reported). */
    private Duration duration(MapReader reader, String key) {
        String text = reader.string(key);
        if (text == null) {
            return null;
        }
        Duration d = Durations.parse(text);
        if (d == null) {
            problems.add(reader.path(key), "must be a duration such as 10s, 5m, 6h or 1h30m (got \"" + text + "\")");
        }
        return d;
    }

    private Long size(MapReader reader, String key) {
        String text = reader.string(key);
        if (text == null) {
            return null;
        }
        Long bytes = Sizes.parse(text);
        if (bytes == null) {
            problems.add(reader.path(key), "must be a size such as 512M, 2G or 1048576 (got \"" + text + "\")");
        }
        return bytes;
    }

    private QueueGroupConfig queueGroup(String name, MapReader group) {
        String command = group.string("command");
        ProcessSettings settings = settings(group);
        Map<String, Object> params = group.params("params");
        RestartConfig restart = restart(group.map("restart"));
        Duration stopTimeout = Duration.ofSeconds(group.integer("stop_timeout"));
        LogsConfig logs = logs(group.map("logs"));
        RunOptions run = runOptions(group);
        FeederConfig localFeeder = feeder(group.map("local_feeder"), false);
        FeederConfig remoteFeeder = feeder(group.map("remote_feeder"), true);
        if (group.has("local_feeder") && group.has("remote_feeder")) {
            problems.add(group.path(), "has both local_feeder and remote_feeder: keep only one");
        } else if (!group.has("local_feeder") && !group.has("remote_feeder")) {
            problems.add(group.path(), "has no feeder: add local_feeder or remote_feeder");
        }
        FeederConfig feeder = localFeeder != null ? localFeeder : remoteFeeder;
        // A consumer's port defaults to its own feeder's (the seed: always 9999, whatever the feeder's port).
        int feederPort = feeder != null ? feeder.port() : Schema.LOCAL_FEEDER.key("port").defaultInteger();
        LocalConsumers localConsumers = null;
        List<RemoteConsumers> remoteConsumers = new ArrayList<>();
        MapReader consumers = group.map("consumers");
        if (consumers != null) {
            MapReader local = consumers.map("local");
            if (local != null) {
                localConsumers = new LocalConsumers(local.integer("instances_count"), local.string("host"),
                        port(local, feederPort), settings(local));
                local.done();
            }
            for (MapReader entry : consumers.list("remote")) {
                remoteConsumers.add(new RemoteConsumers(entry.integer("instances_count"), entry.string("host"),
                        port(entry, feederPort), entry.string("username"), entry.string("private_key"),
                        settings(entry), entry.hosts("hosts")));
                entry.done();
            }
            if (!consumers.has("local") && remoteConsumers.isEmpty() && consumers.valid("remote")) {
                problems.add(consumers.path(), "has no consumer: add local or remote");
            }
            consumers.done();
        }
        QueueSettings queue = queueSettings(group);
        group.done();
        QueueGroupConfig config = new QueueGroupConfig(name, command, settings, params, feeder, localConsumers,
                List.copyOf(remoteConsumers), restart, stopTimeout, queue, run, logs);
        warnings.addAll(FeederAddresses.warnings(problems.source(), group.path(), config));
        return config;
    }

    private static int port(MapReader consumers, int feederPort) {
        Integer port = consumers.integer("port");
        return port != null ? port : feederPort;
    }

    private QueueSettings queueSettings(MapReader group) {
        int prefetch = group.integer("prefetch");
        MapReader redeliver = group.map("redeliver");
        int maxAttempts = 1;
        if (redeliver != null) {
            maxAttempts = redeliver.integer("max_attempts");
            redeliver.done();
        }
        Duration emptyInterval = seconds(group.number("empty_interval"));
        int maxFrame = QueueSettings.DEFAULT_MAX_FRAME;
        Long frame = size(group, "max_frame");
        if (frame != null) {
            if (frame < 1024 || frame > 64L << 20) {
                problems.add(group.path("max_frame"), "must be between 1K and 64M (got " + frame + " bytes)");
            } else {
                maxFrame = frame.intValue();
            }
        }
        String secretEnv = group.string("secret_env");
        if (secretEnv == null) {
            secretEnv = QueueSettings.DEFAULT_SECRET_ENV;
        } else if (!secretEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            problems.add(group.path("secret_env"), "must be an environment variable name such as "
                    + "DISTARCH_QUEUE_SECRET (got \"" + secretEnv + "\")");
        }
        Duration networkTimeout = Duration.ofSeconds(group.integer("network_timeout"));
        return new QueueSettings(prefetch, maxAttempts, emptyInterval, maxFrame, secretEnv, networkTimeout);
    }

    private FeederConfig feeder(MapReader feeder, boolean remote) {
        if (feeder == null) {
            return null;
        }
        String bindTo = feeder.string("bind_to");
        int port = feeder.integer("port");
        ProcessSettings settings = settings(feeder);
        FeederConfig config;
        if (remote) {
            List<String> hosts = feeder.hosts("hosts");
            config = new FeederConfig(bindTo, port, settings, hosts.isEmpty() ? null : hosts.get(0),
                    feeder.string("username"), feeder.string("private_key"));
        } else {
            config = new FeederConfig(bindTo, port, settings, null, null, null);
        }
        feeder.done();
        return config;
    }

    private static ProcessSettings settings(MapReader reader) {
        return new ProcessSettings(reader.string("bin_path"), reader.string("path"), reader.integer("priority"),
                reader.secondsOrNone("timeout"));
    }

    /** autorestart, exit_codes, stop_signal, environment, user and umask of a group or queue group. */
    private RunOptions runOptions(MapReader group) {
        RunOptions d = RunOptions.DEFAULT;
        String word = group.string("autorestart");
        Autorestart autorestart = Autorestart.of(word);
        if (autorestart == null) {
            List<String> words = java.util.Arrays.stream(Autorestart.values()).map(Autorestart::word).toList();
            problems.add(group.path("autorestart"), "must be always, on-failure or never (got \"" + word + "\""
                    + Suggestions.closest(word, words).map(w -> "; did you mean \"" + w + "\"?").orElse("") + ")");
            autorestart = d.autorestart();
        }
        java.util.Set<Integer> exitCodes = group.exitCodes("exit_codes");
        String signalName = group.string("stop_signal");
        StopSignal stopSignal = StopSignal.of(signalName);
        if (stopSignal == null) {
            problems.add(group.path("stop_signal"), "must be TERM, INT, QUIT, HUP, USR1 or USR2 (got \"" + signalName
                    + "\")");
            stopSignal = d.stopSignal();
        }
        Map<String, String> environment = group.environment("environment");
        String user = group.string("user");
        if (user != null && !user.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*\\$?")) {
            problems.add(group.path("user"), "must be a user name such as www-data (got \"" + user + "\")");
            user = null;
        }
        Integer umask = umask(group);
        return new RunOptions(autorestart, exitCodes == null ? d.exitCodes() : exitCodes, stopSignal, environment,
                user, umask);
    }

    /** An octal string of up to four digits; YAML's own octal (unquoted 027 is the number 23) is refused. */
    private Integer umask(MapReader group) {
        String text = group.string("umask");
        if (text == null) {
            return null;
        }
        if (group.isNumber("umask") || !text.matches("0?[0-7]{1,3}")) {
            problems.add(group.path("umask"), group.isNumber("umask")
                    ? "must be an octal string in quotes, such as \"027\" (got " + text
                            + "; YAML reads an unquoted 027 as the number 23)"
                    : "must be an octal string such as \"027\" (got \"" + text + "\")");
            return null;
        }
        return Integer.parseInt(text, 8);
    }

    private LogsConfig logs(MapReader logs) {
        if (logs == null) {
            return LogsConfig.DEFAULT;
        }
        LogsConfig d = LogsConfig.DEFAULT;
        String stdout = level(logs, "stdout_level");
        String stderr = level(logs, "stderr_level");
        int lines = logs.integer("buffer_lines");
        long bufferBytes = bounded(logs, "buffer_bytes", 1024, 64L << 20, d.bufferBytes());
        String dir = logs.string("dir"); // blank: not set, as for every key
        long maxBytes = bounded(logs, "max_bytes", 1024, 1L << 40, d.maxBytes());
        int backups = logs.integer("backups");
        logs.done();
        return new LogsConfig(stdout, stderr, lines, bufferBytes, dir == null ? null : java.nio.file.Path.of(dir),
                maxBytes, backups);
    }

    /** A level key's value in its canonical spelling ("warning" is the seed's PSR-3 name for warn). */
    private String level(MapReader reader, String key) {
        String text = reader.string(key);
        String canonical = text == null ? null : text.strip().toLowerCase(java.util.Locale.ROOT);
        if ("warning".equals(canonical)) {
            canonical = "warn";
        }
        if (canonical != null && !LogsConfig.LEVELS.contains(canonical)) {
            problems.add(reader.path(key), "must be one of " + String.join(", ", LogsConfig.LEVELS)
                    + " (got \"" + text + "\")");
            canonical = null;
        }
        return canonical != null ? canonical : "stdout_level".equals(key) ? "info" : "warn";
    }

    /** A size key's bytes within [min, max]; its default when absent or wrong (the error is recorded). */
    private long bounded(MapReader reader, String key, long min, long max, long otherwise) {
        if (reader.string(key) == null) {
            return otherwise;
        }
        Long bytes = size(reader, key);
        if (bytes == null) {
            return otherwise;
        }
        if (bytes < min || bytes > max) {
            problems.add(reader.path(key), "must be between " + Key.format(min) + " and " + Key.format(max)
                    + " bytes (got " + bytes + ")");
            return otherwise;
        }
        return bytes;
    }

    private RestartConfig restart(MapReader restart) {
        if (restart == null) {
            return RestartConfig.DEFAULT;
        }
        double initial = restart.number("initial_backoff");
        double max = restart.number("max_backoff");
        double multiplier = restart.number("multiplier");
        double jitter = restart.number("jitter");
        double resetAfter = restart.number("reset_after");
        int maxFailures = restart.integer("max_failures");
        if (max < initial && restart.valid("initial_backoff") && restart.valid("max_backoff")) {
            problems.add(restart.path("max_backoff"), "must be at least initial_backoff, "
                    + Key.format(initial) + " (got " + Key.format(max) + ")");
        }
        restart.done();
        return new RestartConfig(seconds(initial), seconds(max), multiplier, jitter, seconds(resetAfter), maxFailures);
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1_000_000_000d));
    }
}
