package org.distarch.config;

/**
 * The one table of configuration keys: name, type, default, bounds and description of each.
 * {@link ConfigValidator} reads values through it and {@link ConfigReference} prints it.
 */
final class Schema {

    static final String ROOT_KEY = "distributed_architecture";
    /** The seed's default address of the feeder, for bind_to and the consumers' host. */
    static final String LOCALHOST = "localhost";

    // ---- keys shared by groups and their entries ------------------------------------------------------------

    private static Key binPath(boolean entry) {
        return Key.string("bin_path", entry
                ? "Overrides the group's bin_path for these processes."
                : "Program that runs the command (e.g. /usr/bin/php); default: the master's own.");
    }

    private static Key path(boolean entry) {
        return Key.string("path", entry
                ? "Overrides the group's path for these processes."
                : "Working directory of the processes (the application's path); default: the master's.");
    }

    private static Key priority(boolean entry) {
        return Key.integer("priority", null, -19, 19, entry
                ? "Overrides the group's priority for these processes."
                : "Nice value of every process; a negative value needs the master to run as root.");
    }

    private static Key timeout(boolean entry) {
        return Key.secondsOrNone("timeout", 5, entry
                ? "Overrides the group's timeout for these processes (seconds; 0 or none: no watchdog)."
                : "Seconds without output after which a process counts as timed out and is restarted;"
                        + " default 30; 0 or none: no silence watchdog (daemons that print nothing).");
    }

    private static Key instancesCount(String where) {
        return Key.integer("instances_count", 1, 1, null, "How many instances to run " + where + ".");
    }

    private static final Key USERNAME =
            Key.string("username", "SSH user on the remote hosts; default: the user running the master.");
    private static final Key PRIVATE_KEY =
            Key.string("private_key", "SSH private key file; default: OpenSSH's own (the keys of the user running the master, its ~/.ssh/config and agent).");
    private static final Key PORT = Key.integer("port", 9999, 1, 65535, "TCP port of the feeder.");

    // ---- sections, innermost first --------------------------------------------------------------------------

    static final Section RESTART = Section.of("restart",
            Key.number("initial_backoff", 1, 0, true, null, "Seconds to wait before the first restart."),
            Key.number("max_backoff", 60, 0, true, null,
                    "Longest wait between restarts, in seconds; must be at least initial_backoff."),
            Key.number("multiplier", 2, 1, false, null, "Factor applied to the wait after each failure."),
            Key.number("jitter", 0.2, 0, false, 1.0, "Random spread of each wait, as a fraction of it."),
            Key.number("reset_after", 60, 0, true, null,
                    "Seconds a process must run before its failures are forgotten."),
            Key.integer("max_failures", 5, 1, null,
                    "Failures in a row (none lasting reset_after) after which the process is given up."));

    static final Section LOGS = Section.of("logs",
            Key.string("stdout_level", "info", "Level of a process's stdout lines: trace, debug, info, warn (or "
                    + "warning) or error; worker-protocol log lines keep their own level."),
            Key.string("stderr_level", "warn", "Level of a process's stderr lines (same levels)."),
            Key.integer("buffer_lines", 1000, 0, 1_000_000,
                    "Last output lines of each process the master keeps for distarch logs and top (0: none)."),
            Key.string("buffer_bytes", "256K",
                    "Memory those lines may take per process, at most (e.g. 256K, 1M); the oldest go first."),
            Key.string("dir", "Directory of per-process log files (one GROUP-GROUPID.log per process, created if "
                    + "needed); not set: no per-process files."),
            Key.string("max_bytes", "10M", "Size at which a per-process log file is rotated (at least 1K)."),
            Key.integer("backups", 5, 0, 1000,
                    "Rotated files kept (FILE.1 is the newest); 0: the file is started afresh."));

    static final Section LOCAL = Section.of("local",
            instancesCount("on the master's machine"), binPath(true), path(true), priority(true), timeout(true));

    static final Section REMOTE = Section.of("remote",
            instancesCount("on each host"), USERNAME, PRIVATE_KEY, binPath(true), path(true), priority(true),
            timeout(true), Key.hosts("hosts", 1, null, "The hosts to run the instances on, over SSH."));

    private static Key command(String what) {
        return Key.requiredString("command", "The command every process of the group runs" + what + ".");
    }

    private static final Key PARAMS =
            Key.params("params", "Parameters handed to every process of the group (any YAML values).");
    private static final Key RESTART_KEY = Key.map("restart", false, RESTART,
            "How crashed or timed-out processes are restarted (distarch extension).");
    private static final Key LOGS_KEY = Key.map("logs", false, LOGS,
            "What the master does with the group's output: stream levels, the buffer behind distarch logs, "
                    + "per-process log files (distarch extension).");
    private static final Key STOP_TIMEOUT = Key.integer("stop_timeout", 10, 1, null,
            "Seconds a process gets to exit after being asked to stop, before it is killed; also how long the next "
                    + "master or relay waits for a killed one's processes before it kills them (distarch extension).");

    private static final Key MAX_MEMORY = Key.string("max_memory",
            "Restart a process gracefully when its resident memory (with its children) stays above this size, "
                    + "e.g. 512M or 2G; not set: no limit (distarch extension).");

    // ---- how processes run and restart (RunOptions), for groups and queue groups ------------------------------

    private static final Key AUTORESTART = Key.string("autorestart", "on-failure",
            "When a process that exited is started again: always, on-failure (an exit code not in exit_codes, a "
                    + "signal, a timeout; the default) or never.");
    private static final Key EXIT_CODES = Key.exitCodes("exit_codes",
            "Exit codes that count as success: such an exit ends the process (Ended) unless autorestart is always.");
    private static final Key STOP_SIGNAL = Key.string("stop_signal", "TERM",
            "Signal that asks a process to stop (with \"stop\" on its stdin): TERM, INT, QUIT, HUP, USR1 or USR2; "
                    + "SIGKILL follows after the grace.");
    private static final Key ENVIRONMENT = Key.environment("environment",
            "Variables added to each process's environment; values may use ${VAR} and are never logged.");
    private static final Key USER = Key.string("user",
            "Run the processes as this user (the master, or the remote SSH user, must be root); default: the "
                    + "master's own user.");
    private static final Key UMASK = Key.string("umask",
            "File mode creation mask of the processes, an octal string such as \"027\"; default: the master's.");

    // ---- how a group is started and restarted as a whole (LifecycleSettings) ----------------------------------

    private static final Key AUTOSTART = Key.bool("autostart", true,
            "false: the group is defined but not started with the master (shown as stopped); distarch start "
                    + "starts it (distarch extension).");
    private static final Key RESTART_STRATEGY = Key.string("restart_strategy", "all",
            "How a reload that changes the group replaces its processes: all (at once) or rolling (rolling_batch "
                    + "at a time, each next batch once the new processes ran healthy) (distarch extension).");
    private static final Key ROLLING_BATCH = Key.integer("rolling_batch", 1, 1, null,
            "Processes a rolling restart replaces at once; the group never has fewer than its count minus this "
                    + "running (distarch extension).");
    private static final Key ROLLING_HEALTHY_TIME = Key.string("rolling_healthy_time", "10s",
            "How long a new process must run (alive, not crashed, not timed out) before a rolling restart goes "
                    + "on, e.g. 10s, 2m (distarch extension).");
    private static final Key RESTART_EVERY = Key.string("restart_every",
            "Rolling restart of the group this often, counted from the master's start, e.g. 6h or 90m; not set: "
                    + "never (distarch extension).");
    private static final Key RESTART_CRON = Key.string("restart_cron",
            "Rolling restart of the group at the times of this Unix cron expression (minute hour day month "
                    + "weekday, the master's time zone), e.g. \"0 4 * * *\"; not set: never (distarch extension).");

    static final Section GROUP = Section.of("group",
            command(""), binPath(false), path(false), priority(false), timeout(false), PARAMS, RESTART_KEY,
            STOP_TIMEOUT, MAX_MEMORY, AUTORESTART, EXIT_CODES, STOP_SIGNAL, ENVIRONMENT, USER, UMASK,
            AUTOSTART, RESTART_STRATEGY, ROLLING_BATCH, ROLLING_HEALTHY_TIME, RESTART_EVERY, RESTART_CRON, LOGS_KEY,
            Key.map("local", false, LOCAL,
                    "Run instances on the master's machine; \"local: ~\" means one instance with the defaults."),
            Key.list("remote", REMOTE, "Run instances on remote hosts, one list element per set of hosts."));

    private static final Key BIND_TO = Key.string("bind_to", LOCALHOST,
            "Address the feeder listens on; localhost (the seed's default) reaches only consumers on its machine.");

    static final Section LOCAL_FEEDER = Section.of("local_feeder",
            BIND_TO, PORT,
            binPath(true), path(true), priority(true), timeout(true));

    static final Section REMOTE_FEEDER = Section.of("remote_feeder",
            BIND_TO, PORT, USERNAME, PRIVATE_KEY,
            binPath(true), path(true), priority(true), timeout(true),
            Key.hosts("hosts", 1, 1, "The one host the feeder runs on."));

    private static Key feederHost(String where) {
        return Key.string("host", LOCALHOST, "Address of the feeder that the consumers connect to; localhost (the "
                + "seed's default) is " + where + ".");
    }

    private static final Key FEEDER_PORT = Key.integer("port", null, 1, 65535,
            "Port of the feeder; default: the port of the group's own feeder (the seed: always 9999).");

    static final Section LOCAL_CONSUMERS = Section.of("local",
            instancesCount("on the master's machine"), feederHost("the master's machine"), FEEDER_PORT,
            binPath(true), path(true), priority(true), timeout(true));

    static final Section REMOTE_CONSUMERS = Section.of("remote",
            instancesCount("on each host"), feederHost("each consumer's own host"), FEEDER_PORT, USERNAME, PRIVATE_KEY,
            binPath(true), path(true), priority(true), timeout(true),
            Key.hosts("hosts", 1, null, "The hosts to run consumers on, over SSH."));

    static final Section CONSUMERS = Section.of("consumers",
            Key.map("local", false, LOCAL_CONSUMERS, "Consumers on the master's machine."),
            Key.list("remote", REMOTE_CONSUMERS, "Consumers on remote hosts, one list element per set of hosts."));

    static final Section REDELIVER = Section.of("redeliver",
            Key.integer("max_attempts", 3, 2, 100,
                    "Hand-outs of one item, the first included, before it is reported as failed."));

    static final Section QUEUE_GROUP = Section.of("queue_group",
            command(" (as feeder and as consumer)"), binPath(false), path(false), priority(false), timeout(false),
            PARAMS, RESTART_KEY, STOP_TIMEOUT, AUTORESTART, EXIT_CODES, STOP_SIGNAL, ENVIRONMENT, USER, UMASK,
            LOGS_KEY,
            Key.integer("prefetch", 1, 1, 10_000,
                    "Items a consumer may hold at once; 1 as in the seed, more for throughput (distarch extension)."),
            Key.map("redeliver", false, REDELIVER,
                    "Hand an item lost with its consumer (crash, kill, timeout, dropped connection) to another "
                            + "consumer instead of failing it; \"redeliver: ~\" uses the defaults. Absent: an item "
                            + "lost is failed at once, as in the seed (distarch extension)."),
            Key.number("empty_interval", 0.5, 0, true, 60.0,
                    "Seconds after which the feeder asks an empty source again (distarch extension)."),
            Key.string("max_frame", "Largest item frame, e.g. 1M or 256K; default 1M (distarch extension)."),
            Key.string("secret_env", "Environment variable of the master holding the secret that consumers must "
                    + "prove to the feeder; default DISTARCH_QUEUE_SECRET; unset or empty: no authentication "
                    + "(distarch extension)."),
            Key.integer("network_timeout", 10, 1, 3600,
                    "Seconds of silence after which a feeder or consumer connection counts as lost "
                            + "(distarch extension)."),
            Key.map("local_feeder", false, LOCAL_FEEDER,
                    "Run the feeder on the master's machine (give local_feeder or remote_feeder, not both)."),
            Key.map("remote_feeder", false, REMOTE_FEEDER, "Run the feeder on one remote host."),
            Key.map("consumers", true, CONSUMERS, "The consumers; at least one local or remote entry."));

    // ---- the admin server (distarch extension) ---------------------------------------------------------------

    static final Section ADMIN_TLS = Section.of("tls",
            Key.string("keystore", "Key store file (PKCS12 or JKS) with the server's key and certificate; give "
                    + "keystore or certificate and private_key."),
            Key.string("keystore_password_env", AdminTls.DEFAULT_PASSWORD_ENV,
                    "Environment variable of the master holding the key store's password."),
            Key.string("certificate", "PEM file with the server's certificate chain (with private_key)."),
            Key.string("private_key", "PEM file with the server's unencrypted PKCS#8 private key (with certificate)."));

    private static final Key ROLE = Key.requiredString("role", "viewer (reads), operator (actions) or admin "
            + "(also stopping the master and reloading).");

    static final Section ADMIN_USER = Section.of("user",
            Key.requiredString("password_hash", "The password's BCrypt hash, as distarch admin:hash-password prints it."),
            ROLE);

    static final Section ADMIN_TOKEN = Section.of("token",
            Key.requiredString("name", "The token's name: who acted, in the audit."),
            ROLE,
            Key.requiredString("env", "Environment variable of the master holding the token's value (never the "
                    + "value itself in the file)."));

    static final Section HISTORY = Section.of("history",
            Key.string("url", "JDBC URL of the history database; default: an SQLite file beside the pid file."),
            Key.string("user", "Database user."),
            Key.string("password_env", "Environment variable of the master holding the database password."),
            Key.string("retention", "30d", "How long history is kept: a number with s, m, h or d."),
            Key.integer("max_rows", (int) HistoryConfig.DEFAULT_MAX_ROWS, 1000, null,
                    "Most rows kept; the oldest go first."));

    static final Section ADMIN = Section.of("admin",
            Key.string("bind", AdminConfig.DEFAULT_BIND, "Address the HTTP API listens on; a non-loopback address "
                    + "needs tls and users or tokens (run-master --admin-bind overrides it)."),
            Key.integer("port", AdminConfig.DEFAULT_PORT, 0, 65535,
                    "TCP port of the HTTP API; 0 turns it off (run-master --admin-port overrides it)."),
            Key.map("tls", false, ADMIN_TLS, "Serve HTTPS instead of HTTP."),
            Key.named("users", ADMIN_USER, "People who log in with a password, by user name; without users or "
                    + "tokens the master makes a random access token at start."),
            Key.list("tokens", ADMIN_TOKEN, "API tokens (for distarch --url and scripts), one list element each."),
            Key.map("history", false, HISTORY, "Where the history of the fleet is kept."));

    static final Section TOP = Section.of(ROOT_KEY,
            Key.named("groups", GROUP, "Groups of identical processes, by group name."),
            Key.named("queue_groups", QUEUE_GROUP,
                    "Feeder/consumers groups, by group name (names unique across groups and queue_groups)."),
            Key.map("admin", false, ADMIN, "The master's HTTP API (distarch extension)."));

    static final Section FILE = Section.of("file",
            Key.map(ROOT_KEY, true, TOP, "The only root key; it must define at least one group or queue group."));

    private Schema() {}
}
