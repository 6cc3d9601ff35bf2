package org.distarch.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.distarch.config.LogsConfig;
import org.distarch.event.ProcessIdentity;
import org.distarch.worker.protocol.LogLevel;

/**
 * The master's memory of its processes' output: for each process (by global id) its last lines, bounded in
 * lines and in bytes, kept across its exits and restarts (each start and exit adds a marker line) and dropped
 * when a reload removes the process; plus, for groups that ask for it, a log file per process
 * ({@link LogFiles}). This is the one query API behind {@code distarch logs}, {@code distarch top} and the HTTP
 * API's log endpoints:
 *
 * <ul>
 *   <li>{@link #tail}: the last lines of one process, a group or all, after a sequence number;</li>
 *   <li>{@link #follow}: the same backlog and, atomically with it, a {@link Subscription} to every new line
 *       (no line missed or seen twice between the two);</li>
 *   <li>{@link #resolve}: an operator's name for a process ({@code 7} or {@code group/groupId}).</li>
 * </ul>
 *
 * <p>Costs no thread: lines are added by the threads that read them (a worker's stdout and stderr readers,
 * a relay session's reader, the supervision thread for markers), under one short lock that also gives every
 * line its {@linkplain LogLine#seq sequence number}, so numbers follow the order lines were added. Nothing
 * here waits for a reader: a subscriber has a bounded queue, and what does not fit is dropped and counted
 * ({@link Subscription#dropped()}). A per-process file that is behind holds the worker's reader until its writer
 * catches up (as the master's log does), and drops and counts only when its writer is stuck ({@link LogFiles}).
 * Thread-safe.
 */
public final class ProcessLogs implements AutoCloseable {

    /** Lines longer than this are cut in the buffer (the log and the per-process files keep them whole). */
    public static final int MAX_LINE_CHARS = 8192;
    /** What a kept line costs beyond its text, in the byte estimate (the record and its strings' headers). */
    static final int LINE_OVERHEAD_BYTES = 64;

    private final Object lock = new Object();
    private final Map<Integer, Buffer> buffers = new HashMap<>();
    private final Consumer<String> notices;
    private long seq;
    private volatile Subscription[] subscribers = new Subscription[0];
    private LogFiles files;

    /** @param notices where to say that per-process files drop lines or cannot be written (the master's log) */
    public ProcessLogs(Consumer<String> notices) {
        this.notices = notices;
    }

    /** A store for tests and embedding that has nowhere to report file trouble. */
    public ProcessLogs() {
        this(message -> { });
    }

    /**
     * The feed of process {@code p}'s lines, created on first use; a successor under the same id (a restart,
     * a reload's replacement) appends to the same buffer, with {@code config}'s limits and file from now on.
     */
    public ProcessLog open(ProcessIdentity p, LogsConfig config) {
        synchronized (lock) {
            Buffer b = buffers.computeIfAbsent(p.id(), id -> new Buffer());
            b.identity = p;
            b.display = p.display();
            b.maxLines = config.bufferLines();
            b.maxBytes = config.bufferBytes();
            b.evict();
            LogFiles.Target file = null;
            if (config.dir() != null) {
                if (files == null) {
                    files = new LogFiles(notices, lock);
                }
                file = files.target(config.dir().resolve(fileName(p)), config.maxBytes(), config.backups());
            }
            if (b.file != null && b.file != file) {
                files.release(b.file);
            }
            b.file = file;
            return new ProcessLog(this, b);
        }
    }

    /** Forgets process {@code id} (a reload removed it): its lines and its file handle. */
    public void remove(int id) {
        synchronized (lock) {
            Buffer b = buffers.remove(id);
            if (b != null) {
                b.removed = true;
                if (b.file != null) {
                    files.release(b.file);
                }
            }
        }
    }

    /**
     * The last {@code max} lines (oldest first) of the selected processes whose sequence number is above
     * {@code after} (0: from the start of what is kept).
     */
    public List<LogLine> tail(LogSelector selector, long after, int max) {
        synchronized (lock) {
            return tailLocked(selector, after, max);
        }
    }

    /**
     * The backlog ({@link #tail}) and a subscription to every line added after it, taken together: a follower
     * sees each line once, in order. {@code wakeup} runs (on the adding thread, outside the lock; it must be
     * quick and never block) when the subscription's queue gets a line after having been drained; at most
     * {@code capacity} lines wait, newer ones are dropped and counted.
     */
    public Follow follow(LogSelector selector, long after, int lines, int capacity, Runnable wakeup) {
        Subscription s = new Subscription(this, selector, capacity, wakeup);
        synchronized (lock) {
            List<LogLine> backlog = tailLocked(selector, after, lines);
            Subscription[] now = subscribers;
            Subscription[] more = java.util.Arrays.copyOf(now, now.length + 1);
            more[now.length] = s;
            subscribers = more;
            return new Follow(backlog, s);
        }
    }

    /** A follow's start: the lines already kept, and the subscription to what comes next. */
    public record Follow(List<LogLine> backlog, Subscription live) {}

    /**
     * The global id an operator means by {@code name}: a global id ({@code 7}) or {@code group/groupId}
     * ({@code Workers/2}) of a process the store knows; empty when there is none.
     */
    public Optional<Integer> resolve(String name) {
        synchronized (lock) {
            if (name.chars().allMatch(Character::isDigit) && !name.isEmpty() && name.length() < 10) {
                int id = Integer.parseInt(name);
                return buffers.containsKey(id) ? Optional.of(id) : Optional.empty();
            }
            int slash = name.lastIndexOf('/');
            if (slash > 0 && slash < name.length() - 1 && name.length() - slash < 11
                    && name.substring(slash + 1).chars().allMatch(Character::isDigit)) {
                String group = name.substring(0, slash);
                int groupId = Integer.parseInt(name.substring(slash + 1));
                for (Map.Entry<Integer, Buffer> e : buffers.entrySet()) {
                    ProcessIdentity p = e.getValue().identity;
                    if (p.group().equals(group) && p.groupId() == groupId) {
                        return Optional.of(e.getKey());
                    }
                }
            }
            return Optional.empty();
        }
    }

    /** The groups of the processes the store knows, in id order. */
    public Set<String> groups() {
        synchronized (lock) {
            Set<String> names = new LinkedHashSet<>();
            buffers.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> names.add(e.getValue().identity.group()));
            return names;
        }
    }

    /** The per-process files reopen (moved away by logrotate: new files at the same paths). Returns at once. */
    public void reopenFiles() {
        LogFiles f;
        synchronized (lock) {
            f = files;
        }
        if (f != null) {
            f.reopen();
        }
    }

    /** Writes what the per-process files still have queued and closes them. */
    @Override
    public void close() {
        LogFiles f;
        synchronized (lock) {
            f = files;
            files = null;
        }
        if (f != null) {
            f.close();
        }
    }

    // ---- the writing side, through ProcessLog ----------------------------------------------------------

    /** {@code texts} in order, {@code levels.get(i)} the level of the i-th, under one lock. */
    void append(Buffer b, LogLine.Origin origin, List<LogLevel> levels, long epochMillis, List<String> texts) {
        Subscription[] subs;
        synchronized (lock) {
            if (b.file != null && files != null && origin != LogLine.Origin.MASTER) {
                files.awaitRoom(b.file); // before the lines get their numbers: numbers stay in the order lines are kept
            }
            // Read after the wait, which lets the lock go: a follower that started meanwhile took its backlog
            // without these lines, so it must get them as live ones.
            subs = subscribers;
            ProcessIdentity p = b.identity;
            int n = texts.size();
            for (int i = 0; i < n; i++) {
                String text = texts.get(i);
                LogLine line = new LogLine(++seq, epochMillis, p.id(), p.groupId(), p.group(), p.host(), b.display,
                        origin, levels.get(i), cut(text));
                if (!b.removed) {
                    b.add(line);
                    if (b.file != null && files != null) { // null: closed while this line waited for room
                        files.offer(b.file, line, text);
                    }
                }
                for (Subscription s : subs) {
                    if (s.selector.matches(p.id(), p.group())) {
                        s.offerLocked(line);
                    }
                }
            }
        }
        for (Subscription s : subs) {
            s.wakeIfNeeded();
        }
    }

    List<LogLine> drain(Subscription s, int max) {
        synchronized (lock) {
            return s.drainLocked(max);
        }
    }

    long dropped(Subscription s) {
        synchronized (lock) {
            return s.droppedLocked();
        }
    }

    void unsubscribe(Subscription s) {
        synchronized (lock) {
            Subscription[] now = subscribers;
            List<Subscription> rest = new ArrayList<>(List.of(now));
            rest.remove(s);
            subscribers = rest.toArray(new Subscription[0]);
        }
    }

    private List<LogLine> tailLocked(LogSelector selector, long after, int max) {
        if (max <= 0) {
            return List.of();
        }
        List<LogLine> found = new ArrayList<>();
        if (selector.id() != null) {
            Buffer b = buffers.get(selector.id());
            if (b != null) {
                collect(b, after, found);
            }
        } else {
            for (Buffer b : buffers.values()) {
                if (selector.matches(b.identity.id(), b.identity.group())) {
                    collect(b, after, found);
                }
            }
            found.sort(Comparator.comparingLong(LogLine::seq));
        }
        return List.copyOf(found.size() <= max ? found : found.subList(found.size() - max, found.size()));
    }

    private static void collect(Buffer b, long after, List<LogLine> into) {
        for (int i = 0; i < b.size; i++) {
            LogLine line = b.get(i);
            if (line.seq() > after) {
                into.add(line);
            }
        }
    }

    /** {@code text} within {@link #MAX_LINE_CHARS}, with a marker saying how much was cut. */
    static String cut(String text) {
        if (text.length() <= MAX_LINE_CHARS) {
            return text;
        }
        int end = MAX_LINE_CHARS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never keep half of a pair
        }
        return text.substring(0, end) + " [cut: " + (text.length() - end) + " more characters]";
    }

    /** A file name for the process that a group name cannot turn into a path elsewhere. */
    static String fileName(ProcessIdentity p) {
        StringBuilder name = new StringBuilder();
        for (char c : p.group().toCharArray()) {
            name.append(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.' ? c : '_');
        }
        if (name.length() == 0 || name.charAt(0) == '.') {
            name.insert(0, '_');
        }
        return name + "-" + p.groupId() + ".log";
    }

    /**
     * One process's kept lines, oldest first, in a ring that also keeps each line's cost, so that making room
     * for a line never reads the old line it drops (under a flood, that read was a cache miss per line);
     * guarded by the store's lock.
     */
    static final class Buffer {
        private LogLine[] ring = new LogLine[16];
        private int[] costs = new int[16];
        private int head;
        int size;
        ProcessIdentity identity;
        /** {@code identity.display()}, made once rather than per line. */
        String display;
        int maxLines;
        long maxBytes;
        long bytes;
        boolean removed;
        LogFiles.Target file;

        LogLine get(int i) {
            return ring[(head + i) & (ring.length - 1)];
        }

        void add(LogLine line) {
            if (maxLines <= 0) {
                return;
            }
            if (size == ring.length) {
                if (size >= maxLines) {
                    // the oldest goes and the new line takes its slot (so no need to clear it first)
                    bytes -= costs[head];
                    head = (head + 1) & (ring.length - 1);
                    size--;
                } else {
                    grow();
                }
            }
            int cost = cost(line);
            int at = (head + size) & (ring.length - 1);
            ring[at] = line;
            costs[at] = cost;
            size++;
            bytes += cost;
            evict();
        }

        void evict() {
            while (size > 0 && (size > maxLines || bytes > maxBytes)) {
                removeFirst();
            }
        }

        private void removeFirst() {
            ring[head] = null;
            bytes -= costs[head];
            head = (head + 1) & (ring.length - 1);
            size--;
        }

        private void grow() {
            int n = ring.length * 2;
            LogLine[] r = new LogLine[n];
            int[] c = new int[n];
            for (int i = 0; i < size; i++) {
                int from = (head + i) & (ring.length - 1);
                r[i] = ring[from];
                c[i] = costs[from];
            }
            ring = r;
            costs = c;
            head = 0;
        }

        static int cost(LogLine line) {
            return LINE_OVERHEAD_BYTES + 2 * line.text().length();
        }
    }
}
