package org.distarch.master;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.distarch.config.ConfigError;
import org.distarch.config.DistarchConfig;
import org.distarch.config.FeederConfig;
import org.distarch.config.GroupConfig;
import org.distarch.config.ProcessSettings;
import org.distarch.config.QueueGroupConfig;
import org.distarch.config.RemoteConsumers;
import org.distarch.config.RemoteEntry;
import org.distarch.config.Suggestions;
import org.distarch.launch.local.Accounts;
import org.distarch.launch.local.Which;

/**
 * What can be checked on this machine before anything starts ({@code config:validate}, and {@code run-master}
 * before it starts a process): every command run without {@code bin_path} is a worker command of the
 * application, a local {@code bin_path} exists and is executable, a local {@code path} is a directory, a local
 * feeder's {@code bind_to:port} can be bound, a {@code user} exists and the master may switch to it. Without
 * these checks each of them started, crash-looped as "failures" with picocli or setpriv messages, and a run in
 * which nothing ever started exited 0. What lives on remote hosts is named as not checked.
 */
public final class StartupChecks {

    /** One problem: where ({@link ConfigError#keyPath}) and what, as {@code FILE: KEY.PATH: message}. */
    public record Problem(String keyPath, String message) {
        public String format(String source) {
            return source + ": " + keyPath + ": " + message;
        }
    }

    /** Every problem found, and one note per group with remote entries on what was not checked. */
    public record Report(List<Problem> problems, List<Problem> notChecked) {
        public Report {
            problems = List.copyOf(problems);
            notChecked = List.copyOf(notChecked);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Collection<String> commands;
    private final List<Problem> problems = new ArrayList<>();
    private final List<Problem> notChecked = new ArrayList<>();

    private StartupChecks(Collection<String> commands) {
        this.commands = new java.util.TreeSet<>(commands); // sorted: the same message whatever the registration order
    }

    /** @param commands the names of the application's worker commands */
    public static Report check(DistarchConfig config, Collection<String> commands) {
        StartupChecks checks = new StartupChecks(commands);
        config.groups().forEach(checks::group);
        config.queueGroups().forEach(checks::queueGroup);
        return new Report(checks.problems, checks.notChecked);
    }

    private void group(GroupConfig g) {
        String[] at = {"groups", g.name()};
        List<ProcessSettings> remote = g.remote().stream().map(RemoteEntry::settings).toList();
        List<ProcessSettings> all = new ArrayList<>(remote);
        if (g.local() != null) {
            all.add(g.local().settings());
        }
        command(at, g.command(), g.settings(), all);
        if (g.local() != null) {
            local(at, "local", g.settings(), g.local().settings());
            user(at, g.run().user());
        }
        Set<String> hosts = new LinkedHashSet<>();
        g.remote().forEach(r -> hosts.addAll(r.hosts()));
        remoteNote(at, hosts, g.run().user() != null, false);
    }

    private void queueGroup(QueueGroupConfig q) {
        String[] at = {"queue_groups", q.name()};
        FeederConfig f = q.feeder();
        List<ProcessSettings> all = new ArrayList<>();
        all.add(f.settings());
        if (q.localConsumers() != null) {
            all.add(q.localConsumers().settings());
        }
        q.remoteConsumers().forEach(r -> all.add(r.settings()));
        command(at, q.command(), q.settings(), all);
        boolean anyLocal = false;
        if (!f.isRemote()) {
            anyLocal = true;
            local(at, "local_feeder", q.settings(), f.settings());
            port(at, f);
        }
        if (q.localConsumers() != null) {
            anyLocal = true;
            local(at, "consumers.local", q.settings(), q.localConsumers().settings());
        }
        if (anyLocal) {
            user(at, q.run().user());
        }
        Set<String> hosts = new LinkedHashSet<>();
        if (f.isRemote()) {
            hosts.add(f.host());
        }
        q.remoteConsumers().stream().map(RemoteConsumers::hosts).forEach(hosts::addAll);
        remoteNote(at, hosts, q.run().user() != null, f.isRemote());
    }

    /** Without a bin_path anywhere an entry inherits from, the first word must be one of the app's commands. */
    private void command(String[] at, String command, ProcessSettings group, List<ProcessSettings> entries) {
        boolean runsSelf = entries.stream().anyMatch(e -> group.overriddenBy(e).binPath() == null);
        if (!runsSelf) {
            return;
        }
        List<String> words;
        try {
            words = CommandWords.split(command);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(path(at, "command"), e.getMessage()));
            return;
        }
        String name = words.isEmpty() ? command : words.get(0);
        if (commands.contains(name)) {
            return;
        }
        String message;
        if (commands.isEmpty()) {
            message = name + " is not a command of this application, which has no worker commands; give bin_path "
                    + "to run another program";
        } else {
            message = name + " is not a command of this application; its commands are " + String.join(", ", commands)
                    + Suggestions.closest(name, commands).map(c -> " (did you mean \"" + c + "\"?)").orElse("");
        }
        problems.add(new Problem(path(at, "command"), message));
    }

    /** bin_path and path of an entry that runs on this machine, at the key that sets them. */
    private void local(String[] at, String entry, ProcessSettings group, ProcessSettings own) {
        ProcessSettings s = group.overriddenBy(own);
        String[] entryPath = join(at, entry.split("\\."));
        Path dir = null;
        if (s.path() != null) {
            String key = path(own.path() != null ? entryPath : at, "path");
            Path p = Path.of(s.path());
            if (!Files.exists(p)) {
                problems.add(new Problem(key, s.path() + " does not exist"));
            } else if (!Files.isDirectory(p)) {
                problems.add(new Problem(key, s.path() + " is not a directory"));
            } else {
                dir = p;
            }
        }
        if (s.binPath() != null) {
            String key = path(own.binPath() != null ? entryPath : at, "bin_path");
            String problem = program(s.binPath(), dir);
            if (problem != null) {
                problems.add(new Problem(key, problem));
            }
        }
    }

    /** What is wrong with running {@code program} (as the local launcher finds it), or null. */
    static String program(String program, Path dir) {
        if (!program.contains("/")) {
            return Which.find(program) == null ? program + " is not on the PATH" : null;
        }
        Path p = Path.of(program);
        if (!p.isAbsolute() && dir != null) {
            p = dir.resolve(p);
        }
        if (!Files.exists(p)) {
            return program + " does not exist";
        }
        if (!Files.isRegularFile(p)) {
            return program + " is not a file";
        }
        return Files.isExecutable(p) ? null : program + " is not executable";
    }

    /** The feeder's address, bound and released at once: a port held by another program fails here. */
    private void port(String[] at, FeederConfig f) {
        String key = path(join(at, "local_feeder"), "port");
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as the feeder binds: a port in TIME_WAIT is free
            socket.bind(new InetSocketAddress(f.bindTo(), f.port()));
        } catch (IOException e) {
            problems.add(new Problem(key, cannotListen(f.bindTo(), f.port(), e)));
        }
    }

    /** The feeder's own words for it (FeederListeners says the same): one line, never a stack trace. */
    static String cannotListen(String host, int port, IOException e) {
        String why = e.getMessage() != null
                ? e.getMessage().replaceFirst(" \\(Bind failed\\)$", "").toLowerCase(Locale.ROOT) : e.toString();
        if (new InetSocketAddress(host, port).isUnresolved()) {
            why = "unknown host";
        }
        return "cannot listen on " + host + ":" + port + ": " + why;
    }

    private void user(String[] at, String user) {
        if (user == null) {
            return;
        }
        String key = path(at, "user");
        if (!Accounts.isRoot()) {
            problems.add(new Problem(key, "the master runs as " + Accounts.me() + ", not root, so it cannot run "
                    + "processes as " + user));
        } else if (Accounts.user(user).isEmpty()) {
            problems.add(new Problem(key, "no such user " + user + " on this machine"));
        } else if (Which.find("setpriv") == null) {
            problems.add(new Problem(key, "setpriv (util-linux) is not installed, so processes cannot run as "
                    + user));
        }
    }

    private void remoteNote(String[] at, Set<String> hosts, boolean user, boolean remoteFeeder) {
        if (hosts.isEmpty()) {
            return;
        }
        String what = "bin_path, path" + (user ? ", user" : "") + (remoteFeeder ? ", the remote feeder's port" : "");
        notChecked.add(new Problem(ConfigError.keyPath(at), "not checked here: " + what + " on remote hosts "
                + String.join(", ", hosts)));
    }

    private static String path(String[] at, String key) {
        return ConfigError.keyPath(join(at, key));
    }

    private static String[] join(String[] at, String... more) {
        String[] all = new String[at.length + more.length];
        System.arraycopy(at, 0, all, 0, at.length);
        System.arraycopy(more, 0, all, at.length, more.length);
        return all;
    }
}
