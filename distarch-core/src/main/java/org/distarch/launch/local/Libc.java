package org.distarch.launch.local;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.util.Map;

/**
 * The few C library calls the local process layer makes, bound once by JNA's direct mapping: spawning
 * ({@code posix_spawn}), pipes, {@code epoll}, exit notification ({@code pidfd_open}), reaping and signals.
 * Constants are Linux's for x86-64 and AArch64 (the asm-generic values); other architectures are not supported.
 */
final class Libc {

    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int F_GETFD = 1;
    static final int FD_CLOEXEC = 1;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int EPOLLIN = 0x1;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int WNOHANG = 1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ECHILD = 10;
    static final long SYS_PIDFD_OPEN = 434;
    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** glibc 2.26 and later: the child calls setsid() before it execs (no setsid program, one exec less). */
    static final short POSIX_SPAWN_SETSID = 0x80;
    /** glibc's {@code struct epoll_event} is packed on x86-64 (12 bytes), naturally aligned elsewhere (16). */
    static final int EPOLL_EVENT_SIZE = Platform.isIntel() && Platform.is64Bit() ? 12 : 16;
    static final int EPOLL_DATA_OFFSET = Platform.isIntel() && Platform.is64Bit() ? 4 : 8;
    /** Generous upper bounds of glibc's opaque structs (sigset_t 128, posix_spawnattr_t 336, file actions 80). */
    static final int SIGSET_BYTES = 256;
    static final int SPAWN_STRUCT_BYTES = 1024;

    /** Signal numbers by the names of {@link org.distarch.launch.SignalName}. */
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(Map.entry("HUP", 1), Map.entry("INT", 2),
            Map.entry("QUIT", 3), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("USR2", 12),
            Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("WINCH", 28),
            Map.entry("PWR", 30));

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private Libc() {}

    static native int pipe2(int[] fds, int flags);

    static native int close(int fd);

    static native int fcntl(int fd, int cmd, int arg);

    static native long read(int fd, Pointer buffer, long count);

    static native long write(int fd, byte[] bytes, long count);

    static native int kill(int pid, int signal);

    /** {@code signal(2)}; a null handler is SIG_DFL. Returns the previous handler (SIG_ERR is -1). */
    static native Pointer signal(int signal, Pointer handler);

    static native int waitpid(int pid, int[] status, int options);

    static native long syscall(long number, long a, long b);

    static native int epoll_create1(int flags);

    static native int epoll_ctl(int epfd, int op, int fd, Pointer event);

    static native int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMillis);

    static native int eventfd(int initval, int flags);

    static native int sigemptyset(Pointer set);

    static native int sigfillset(Pointer set);

    static native int posix_spawnattr_init(Pointer attr);

    static native int posix_spawnattr_destroy(Pointer attr);

    static native int posix_spawnattr_setflags(Pointer attr, short flags);

    static native int posix_spawnattr_setsigmask(Pointer attr, Pointer set);

    static native int posix_spawnattr_setsigdefault(Pointer attr, Pointer set);

    static native int posix_spawn_file_actions_init(Pointer actions);

    static native int posix_spawn_file_actions_destroy(Pointer actions);

    static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    static native int posix_spawn_file_actions_addclose(Pointer actions, int fd);

    static native int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

    static native int posix_spawnp(int[] pid, String file, Pointer actions, Pointer attr, Pointer argv, Pointer envp);

    static native String strerror(int errno);

    static int errno() {
        return Native.getLastError();
    }

    /** The signal's number, for a name of {@link org.distarch.launch.SignalName#ALLOWED}. */
    static int signalNumber(String name) {
        Integer number = SIGNALS.get(name);
        if (number == null) {
            throw new IllegalArgumentException("unknown signal " + name);
        }
        return number;
    }

    /** Sets or clears O_NONBLOCK; false when the descriptor is not open. */
    static boolean nonBlocking(int fd) {
        int flags = fcntl(fd, F_GETFL, 0);
        return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
    }

    /** A zeroed block for one of glibc's opaque structs. */
    static Memory block(int bytes) {
        Memory m = new Memory(bytes);
        m.clear();
        return m;
    }

    /**
     * {@code posix_spawn_file_actions_addclosefrom_np} (glibc 2.34+), bound apart so that an older C library
     * only loses this call, not the class.
     */
    static final class CloseFrom {

        static final boolean AVAILABLE;

        static {
            boolean ok;
            try {
                Native.register(CloseFrom.class, Platform.C_LIBRARY_NAME);
                ok = true;
            } catch (UnsatisfiedLinkError e) {
                ok = false;
            }
            AVAILABLE = ok;
        }

        private CloseFrom() {}

        static native int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);
    }
}
