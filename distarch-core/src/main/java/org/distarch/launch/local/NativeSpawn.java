package org.distarch.launch.local;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a child with {@code posix_spawnp} (glibc's vfork-like clone: no copy of the JVM's memory) and three
 * pipes, without {@link java.lang.Process}: the JDK would park a reaper thread on every child. The child gets
 * default signal dispositions and an empty signal mask (the JVM's own handlers and any signal the master's shell
 * ignored do not leak into workers), the three pipes as 0, 1 and 2, and no other descriptor of the master.
 * The master's ends are non-blocking, for the output loop.
 */
final class NativeSpawn {

    /** A started child: its pid and the master's ends of its stdin, stdout and stderr. */
    record Spawned(int pid, int stdin, int stdout, int stderr) {}

    private NativeSpawn() {}

    /** Whether this C library can start a child in a session of its own ({@code POSIX_SPAWN_SETSID}, glibc 2.26). */
    static boolean canStartSessions() {
        try (Memory attr = Libc.block(Libc.SPAWN_STRUCT_BYTES)) {
            Libc.posix_spawnattr_init(attr);
            try {
                return Libc.posix_spawnattr_setflags(attr, (short) (Libc.POSIX_SPAWN_SETSIGDEF
                        | Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSID)) == 0;
            } finally {
                Libc.posix_spawnattr_destroy(attr);
            }
        }
    }

    /**
     * @param newSession the child calls setsid() before it execs: a session and process group of its own, as the
     *                   {@code setsid} program gives, without that program's exec (see {@link #canStartSessions})
     * @throws IOException with the C library's sentence when the program could not be run
     */
    static Spawned spawn(List<String> command, Map<String, String> environment, Path directory, boolean newSession)
            throws IOException {
        int[] in = pipe();
        int[] out;
        int[] err;
        try {
            out = pipe();
        } catch (IOException e) {
            closeAll(in);
            throw e;
        }
        try {
            err = pipe();
        } catch (IOException e) {
            closeAll(in, out);
            throw e;
        }
        // One native block for the three structs and one for each string list, freed as soon as the child has
        // exec'd: a spawn costs three mallocs, not one per string (JNA's StringArray) left for the GC to free.
        boolean spawned = false;
        try (Memory structs = Libc.block(2 * Libc.SPAWN_STRUCT_BYTES + Libc.SIGSET_BYTES);
                Memory argv = strings(command);
                Memory envp = strings(environment(environment))) {
            Pointer actions = structs.share(0, Libc.SPAWN_STRUCT_BYTES);
            Pointer attr = structs.share(Libc.SPAWN_STRUCT_BYTES, Libc.SPAWN_STRUCT_BYTES);
            Pointer signals = structs.share(2L * Libc.SPAWN_STRUCT_BYTES, Libc.SIGSET_BYTES);
            Libc.posix_spawn_file_actions_init(actions);
            Libc.posix_spawnattr_init(attr);
            try {
                prepare(actions, attr, signals, directory, newSession, in, out, err);
                int[] pid = new int[1];
                int rc = Libc.posix_spawnp(pid, command.get(0), actions, attr, argv, envp);
                if (rc != 0) {
                    throw new IOException(Libc.strerror(rc));
                }
                spawned = true;
                Libc.close(in[0]);
                Libc.close(out[1]);
                Libc.close(err[1]);
                Libc.nonBlocking(in[1]);
                Libc.nonBlocking(out[0]);
                Libc.nonBlocking(err[0]);
                return new Spawned(pid[0], in[1], out[0], err[0]);
            } finally {
                Libc.posix_spawn_file_actions_destroy(actions);
                Libc.posix_spawnattr_destroy(attr);
            }
        } finally {
            if (!spawned) {
                closeAll(in, out, err);
            }
        }
    }

    /** The child's descriptors, directory, session and signals. */
    private static void prepare(Pointer actions, Pointer attr, Pointer signals, Path directory, boolean newSession,
            int[] in, int[] out, int[] err) throws IOException {
        Libc.posix_spawn_file_actions_adddup2(actions, in[0], 0);
        Libc.posix_spawn_file_actions_adddup2(actions, out[1], 1);
        Libc.posix_spawn_file_actions_adddup2(actions, err[1], 2);
        closeInheritable(actions);
        if (directory != null) {
            Libc.posix_spawn_file_actions_addchdir_np(actions, directory.toString());
        }
        short flags = (short) (Libc.POSIX_SPAWN_SETSIGDEF | Libc.POSIX_SPAWN_SETSIGMASK
                | (newSession ? Libc.POSIX_SPAWN_SETSID : 0));
        int set = Libc.posix_spawnattr_setflags(attr, flags);
        if (set != 0) {
            throw new IOException("cannot set the spawn flags: " + Libc.strerror(set));
        }
        Libc.sigemptyset(signals);
        Libc.posix_spawnattr_setsigmask(attr, signals);
        Libc.sigfillset(signals);
        Libc.posix_spawnattr_setsigdefault(attr, signals);
    }

    private static List<String> environment(Map<String, String> environment) {
        List<String> env = new ArrayList<>(environment.size());
        environment.forEach((k, v) -> env.add(k + "=" + v));
        return env;
    }

    /**
     * {@code values} as C wants argv and envp, in one block: the null-ended pointer array, then the strings
     * (UTF-8, each ended by a NUL) it points into.
     */
    static Memory strings(List<String> values) {
        byte[][] bytes = new byte[values.size()][];
        long size = (long) (values.size() + 1) * Native.POINTER_SIZE;
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
            size += bytes[i].length + 1;
        }
        Memory block = new Memory(size);
        long base = Pointer.nativeValue(block);
        long at = (long) (values.size() + 1) * Native.POINTER_SIZE;
        for (int i = 0; i < bytes.length; i++) {
            block.setPointer((long) i * Native.POINTER_SIZE, new Pointer(base + at));
            block.write(at, bytes[i], 0, bytes[i].length);
            block.setByte(at + bytes[i].length, (byte) 0);
            at += bytes[i].length + 1;
        }
        block.setPointer((long) values.size() * Native.POINTER_SIZE, null);
        return block;
    }

    /**
     * The JDK opens files and sockets without close-on-exec (its own child start-up closes everything), so the
     * child must close every descriptor from 3 on: the master's log files and listening sockets are not a
     * worker's business.
     */
    private static void closeInheritable(Pointer actions) throws IOException {
        if (Libc.CloseFrom.AVAILABLE) {
            Libc.CloseFrom.posix_spawn_file_actions_addclosefrom_np(actions, 3);
            return;
        }
        // Older C library: close what is open now and lacks close-on-exec (our pipes have it).
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                int n = Integer.parseInt(fd.getFileName().toString());
                int flags = Libc.fcntl(n, Libc.F_GETFD, 0);
                if (n > 2 && flags >= 0 && (flags & Libc.FD_CLOEXEC) == 0) {
                    Libc.posix_spawn_file_actions_addclose(actions, n);
                }
            }
        }
    }

    private static int[] pipe() throws IOException {
        int[] fds = new int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) != 0) {
            throw new IOException("cannot make a pipe: " + Libc.strerror(Libc.errno()));
        }
        return fds;
    }

    private static void closeAll(int[]... pipes) {
        for (int[] p : pipes) {
            Libc.close(p[0]);
            Libc.close(p[1]);
        }
    }
}
