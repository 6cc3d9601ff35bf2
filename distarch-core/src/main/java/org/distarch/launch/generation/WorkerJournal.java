package org.distarch.launch.generation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workers a master (or a relay) has running, in a small file beside its pid file (or its lock), so that
 * the next one, should this one be killed with SIGKILL, knows what it must wait for before it starts anything:
 * an instance never runs twice. One line per start and one per exit, appended; the file is rewritten with the
 * live entries only once the dead ones outnumber them (a thousand restarting workers cost an append each, not
 * a rewrite). Mode 0600, opened without following links.
 *
 * <pre>
 * distarch-workers 1
 * generation ID START_TICKS                          (the {@link GenerationMark} every worker carries)
 * cgroup /sys/fs/cgroup/unified/…/distarch-4711      (when the workers run in cgroups of their own)
 * grace GRACE_MILLIS                                 (before a spawn with a longer grace than any so far)
 * + PID START_TICKS GROUP GRACE_MILLIS IDENTITY       (started: START_TICKS from /proc/PID/stat defeats pid reuse)
 * - PID START_TICKS                                   (ended)
 * </pre>
 *
 * The {@code grace} line comes before the spawn and the {@code +} line after it: a worker its writer died too
 * soon to list is found by its mark, and still gets the longest grace it may have been started with.
 *
 * Nothing is forced to disk: the file only has to survive the death of its writer, not of the machine (which
 * takes the workers with it).
 */
public final class WorkerJournal implements AutoCloseable {

    static final String MAGIC = "distarch-workers 1";
    /** Dead lines tolerated beyond the live ones before the file is rewritten. */
    private static final int SLACK_LINES = 1024;

    /** One running worker, as the next generation needs it. */
    public record Entry(long pid, long startTicks, long group, long graceMillis, String identity) {

        String line() {
            return "+ " + pid + " " + startTicks + " " + group + " " + graceMillis + " " + identity + "\n";
        }
    }

    /**
     * What a journal file held: the workers started and not seen ending, the cgroup tree they ran under, the mark
     * they carry (null in a journal written before marks) and the longest grace any of them was started with
     * (0 when none was).
     */
    public record Contents(List<Entry> entries, Path cgroupRoot, GenerationMark mark, long graceMillis) {
        public static final Contents EMPTY = new Contents(List.of(), null);

        public Contents(List<Entry> entries, Path cgroupRoot) {
            this(entries, cgroupRoot, null, 0);
        }
    }

    private final Path file;
    private final Path cgroupRoot;
    private final GenerationMark mark;
    private long graceMillis;
    private final Map<Long, Entry> live = new LinkedHashMap<>();
    private FileChannel channel;
    /** The file's identity (device and inode) as we last wrote it: close removes only that file. */
    private Object fileKey;
    private int lines;
    private boolean broken;

    private WorkerJournal(Path file, Path cgroupRoot, GenerationMark mark) {
        this.file = file;
        this.cgroupRoot = cgroupRoot;
        this.mark = mark;
    }

    /** Reads a journal (absent: empty); lines it cannot parse are skipped (a torn last line after a SIGKILL). */
    public static Contents read(Path file) throws IOException {
        List<String> text;
        try {
            if (Files.isSymbolicLink(file)) {
                throw new IOException(file + " is a symbolic link: remove it");
            }
            text = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Contents.EMPTY;
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(file + " is not a workers journal (not UTF-8)");
        }
        if (text.isEmpty() || !text.get(0).equals(MAGIC)) {
            throw new IOException(file + " is not a workers journal (no \"" + MAGIC + "\" line)");
        }
        Map<String, Entry> started = new LinkedHashMap<>();
        Path root = null;
        GenerationMark mark = null;
        long grace = 0;
        for (String line : text.subList(1, text.size())) {
            String[] f = line.split(" ", 6);
            try {
                if (f[0].equals("cgroup") && line.length() > 7) {
                    root = Path.of(line.substring(7));
                } else if (f[0].equals("generation") && f.length == 3) {
                    mark = new GenerationMark(f[1], Long.parseLong(f[2]));
                } else if (f[0].equals("grace") && f.length == 2) {
                    grace = Math.max(grace, Long.parseLong(f[1]));
                } else if (f[0].equals("+") && f.length == 6) {
                    Entry e = new Entry(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                            Long.parseLong(f[4]), f[5]);
                    started.put(e.pid() + " " + e.startTicks(), e);
                } else if (f[0].equals("-") && f.length == 3) {
                    started.remove(Long.parseLong(f[1]) + " " + Long.parseLong(f[2]));
                }
            } catch (RuntimeException torn) {
                // a line cut short by the writer's death: what it said is unknown, the next lines still count
            }
        }
        for (Entry e : started.values()) {
            grace = Math.max(grace, e.graceMillis());
        }
        return new Contents(List.copyOf(started.values()), root, mark, grace);
    }

    /**
     * Starts a fresh journal at {@code file} (replacing what was there: call it once the previous generation
     * is gone).
     */
    public static WorkerJournal create(Path file, Path cgroupRoot, GenerationMark mark) throws IOException {
        WorkerJournal journal = new WorkerJournal(file, cgroupRoot, mark);
        synchronized (journal) {
            journal.rewrite();
        }
        return journal;
    }

    public Path file() {
        return file;
    }

    /** The mark this generation's workers carry. */
    public GenerationMark mark() {
        return mark;
    }

    /**
     * Call before starting a worker with this stop grace: records it when it is longer than any so far (once per
     * distinct grace, not per worker), so that a worker not yet listed when its writer died gets it too.
     */
    public synchronized boolean graceAtLeast(long millis) {
        if (millis <= graceMillis) {
            return !broken;
        }
        graceMillis = millis;
        return append("grace " + millis + "\n");
    }

    /** Records a worker that started. A journal that cannot be written any more stays quiet (said once, by the caller). */
    public synchronized boolean started(Entry entry) {
        live.put(entry.pid(), entry);
        return append(entry.line());
    }

    /** Records the end of a worker. */
    public synchronized boolean ended(long pid) {
        Entry e = live.remove(pid);
        if (e == null) {
            return true;
        }
        if (lines > 2 * live.size() + SLACK_LINES) {
            try {
                rewrite();
                return true;
            } catch (IOException x) {
                broken = true;
                return false;
            }
        }
        return append("- " + e.pid() + " " + e.startTicks() + "\n");
    }

    /** The workers recorded as running. */
    public synchronized int liveCount() {
        return live.size();
    }

    /** Closes the journal; removes the file when no worker is left in it (else the next generation reads it). */
    @Override
    public synchronized void close() {
        try {
            if (channel != null) {
                channel.close();
            }
            // Only our own file: should another process have written one since under this name (it never should,
            // the pid file or lock guards the journal), removing theirs would make their successor start blind.
            if (live.isEmpty() && fileKey != null && fileKey.equals(currentKey())) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a journal left behind only makes the next start look for workers that are gone
        }
    }

    private boolean append(String line) {
        if (broken) {
            return false;
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            lines++;
            return true;
        } catch (IOException e) {
            broken = true;
            return false;
        }
    }

    /** Writes the header and the live entries to a temporary file and moves it over the journal. */
    private void rewrite() throws IOException {
        StringBuilder text = new StringBuilder(MAGIC).append('\n');
        text.append("generation ").append(mark.id()).append(' ').append(mark.startTicks()).append('\n');
        if (cgroupRoot != null) {
            text.append("cgroup ").append(cgroupRoot).append('\n');
        }
        if (graceMillis > 0) {
            text.append("grace ").append(graceMillis).append('\n');
        }
        live.values().forEach(e -> text.append(e.line()));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel out = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (channel != null) {
            channel.close();
        }
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
        fileKey = currentKey();
        lines = live.size();
    }

    private Object currentKey() {
        try {
            return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
