package org.distarch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;

/**
 * The pid file of a running master: one per {@code --pid} path, written by every {@code run-master}
 * (foreground or service), so that a second master on the same file is refused and {@code --stop},
 * init systems and the control commands find the running one.
 *
 * <pre>
 * 41230            the master's pid, alone on the first line (what systemd's PIDFile= and kill "$(head -n1 …)" read)
 * start=9876543    its start time in clock ticks after boot (/proc/PID/stat field 22)
 * state=running    starting until the master has started its processes, then running
 * </pre>
 *
 * The start token makes a stale file safe to detect: after a crash or a reboot the pid may belong to
 * another program, whose start time differs. A file without a token (written by hand or by another
 * tool) counts as live only if that process's command line contains {@code run-master}.
 *
 * <p>The file is created with a hard link from a complete temporary file, so a reader never sees half
 * a file and two masters starting at once cannot both take it. Replacing a stale file re-reads it just
 * before deleting it; two masters replacing the same stale file in the same millisecond remain a
 * (tiny) window, as with every pid file.
 */
final class PidFile {

    enum State {
        /** There is no pid file. */
        NONE,
        /** The file names a running master. */
        LIVE,
        /** The file names no running master: a dead process, another program, or no pid at all. */
        STALE
    }

    /** What a pid file holds. {@code startToken} and {@code state} are null when absent. */
    record Entry(long pid, String startToken, String state) {
        String render() {
            return pid + "\n" + (startToken == null ? "" : "start=" + startToken + "\n")
                    + (state == null ? "" : "state=" + state + "\n");
        }

        static Optional<Entry> parse(String text) {
            String[] lines = text.split("\n");
            long pid;
            try {
                pid = Long.parseLong(lines[0].trim());
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (pid <= 0) {
                return Optional.empty();
            }
            String token = null;
            String state = null;
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i].trim();
                if (line.startsWith("start=")) {
                    token = line.substring(6);
                } else if (line.startsWith("state=")) {
                    state = line.substring(6);
                }
            }
            return Optional.of(new Entry(pid, token, state));
        }

        boolean running() {
            return "running".equals(state);
        }
    }

    /** The verdict on a pid file: {@code entry} is null for {@link State#NONE} and for a file without a pid. */
    record Check(State state, Entry entry, String reason) {
        boolean live() {
            return state == State.LIVE;
        }
    }

    /** A live master already holds the pid file. */
    static final class AlreadyRunningException extends Exception {
        private static final long serialVersionUID = 1L;
        private final long pid;

        AlreadyRunningException(Path file, long pid) {
            super("A master is already running with pid " + pid + " (pid file " + file + "); stop it first with "
                    + "run-master --stop --pid " + file);
            this.pid = pid;
        }

        long pid() {
            return pid;
        }
    }

    private final Path file;
    private final Entry own;
    private final String replaced;

    private PidFile(Path file, Entry own, String replaced) {
        this.file = file;
        this.own = own;
        this.replaced = replaced;
    }

    /** Judges the pid file at {@code file}. Throws only when the file exists but cannot be read. */
    static Check check(Path file) throws IOException {
        Optional<String> text = read(file);
        return text.isEmpty() ? new Check(State.NONE, null, "no pid file at " + file) : judge(text.get());
    }

    /** Judges the content of a pid file. */
    static Check judge(String text) {
        Optional<Entry> parsed = Entry.parse(text);
        if (parsed.isEmpty()) {
            return new Check(State.STALE, null, "it holds no pid");
        }
        Entry e = parsed.get();
        String token = ProcInfo.startToken(e.pid());
        if (token == null) {
            return new Check(State.STALE, e, "process " + e.pid() + " is not running");
        }
        if (e.startToken() != null) {
            return e.startToken().equals(token) ? new Check(State.LIVE, e, "master pid " + e.pid() + " is running")
                    : new Check(State.STALE, e, "pid " + e.pid() + " now belongs to another program ("
                            + describe(e.pid()) + ")");
        }
        String command = ProcInfo.commandLine(e.pid());
        return command.contains("run-master") ? new Check(State.LIVE, e, "master pid " + e.pid() + " is running")
                : new Check(State.STALE, e, "pid " + e.pid() + " is not a distarch master (" + describe(e.pid()) + ")");
    }

    /**
     * Takes the pid file for this process, replacing a stale one (see {@link #replacedStale()}); creates
     * the missing parent directories.
     *
     * @throws AlreadyRunningException when a live master holds it
     * @throws IOException             when it cannot be read or written
     */
    static PidFile acquire(Path file) throws AlreadyRunningException, IOException {
        Optional<String> existing = read(file);
        if (existing.isPresent() && judge(existing.get()).live()) {
            // Before writing anything: a live master is refused even where this process could not write.
            throw new AlreadyRunningException(file, judge(existing.get()).entry().pid());
        }
        long pid = ProcessHandle.current().pid();
        Entry own = new Entry(pid, ProcInfo.startToken(pid), "starting");
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = parent.resolve("." + file.getFileName() + "." + pid + ".tmp");
        Files.writeString(temp, own.render(), StandardCharsets.UTF_8);
        String replaced = null;
        try {
            for (int attempt = 0; attempt < 5; attempt++) {
                if (create(file, temp, own)) {
                    return new PidFile(file, own, replaced);
                }
                Optional<String> text = read(file);
                if (text.isEmpty()) {
                    continue; // removed meanwhile: try again
                }
                Check check = judge(text.get());
                if (check.live()) {
                    throw new AlreadyRunningException(file, check.entry().pid());
                }
                if (text.equals(read(file))) {
                    Files.deleteIfExists(file);
                    replaced = "Replaced the stale pid file " + file + ": " + check.reason();
                }
            }
            throw new IOException("the pid file " + file + " keeps changing: another master is starting at the same time?");
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The note to log when a stale file was replaced, else empty. */
    Optional<String> replacedStale() {
        return Optional.ofNullable(replaced);
    }

    Path path() {
        return file;
    }

    long pid() {
        return own.pid();
    }

    /** Records that the master has started its processes ({@code state=running}); what a service launcher waits for. */
    void markRunning() throws IOException {
        if (!ours()) {
            return;
        }
        Entry running = new Entry(own.pid(), own.startToken(), "running");
        Path temp = file.toAbsolutePath().resolveSibling("." + file.getFileName() + "." + own.pid() + ".tmp");
        Files.writeString(temp, running.render(), StandardCharsets.UTF_8);
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Removes the file if it still names this process (never another master's). */
    void release() {
        try {
            if (ours()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // Left behind: the next start finds it stale and replaces it.
        }
    }

    private boolean ours() throws IOException {
        Optional<Entry> now = read(file).flatMap(Entry::parse);
        return now.isPresent() && now.get().pid() == own.pid()
                && Objects.equals(now.get().startToken(), own.startToken());
    }

    /** Creates {@code file} with {@code temp}'s content atomically; false if it exists already. */
    private static boolean create(Path file, Path temp, Entry own) throws IOException {
        try {
            Files.createLink(file, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (Files.exists(file)) {
                return false;
            }
            // No hard links on this file system: exclusive create, then write (a reader may see it empty briefly).
            try {
                Files.writeString(file, own.render(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException again) {
                return false;
            }
        }
    }

    private static Optional<String> read(Path file) throws IOException {
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static String describe(long pid) {
        String command = ProcInfo.commandLine(pid);
        if (command.length() > 120) {
            command = command.substring(0, 117) + "...";
        }
        return command.isEmpty() ? "unknown command" : command;
    }
}
