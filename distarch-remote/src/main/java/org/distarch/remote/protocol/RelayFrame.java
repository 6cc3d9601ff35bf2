package org.distarch.remote.protocol;

import java.util.List;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.WorkerStream;

/**
 * One line of the relay protocol (docs/relay-protocol.md). The relay is a remote process host: the master
 * supervises every remote process itself, exactly like a local one, and the relay only starts processes,
 * relays their lines and exits, signals them, and stops them on its own if it loses its master.
 *
 * <p>Master → relay: {@link Hello} first, then {@link Launch}, {@link Stop}, {@link Kill}, {@link Signal}, {@link Ping} every
 * second, and {@link Close} at the end. Relay → master: {@link Ready} once it holds its host lock, then
 * {@link Started}/{@link Failed}, {@link Line}s, {@link Exited}, {@link UsageReport}s, {@link Log}s of its own,
 * {@link Ping} every second, and {@link Done} last.
 */
public sealed interface RelayFrame {

    /**
     * The protocol version this side speaks (3 added {@link Signal}, the launch settings and the stream of each
     * {@link Line}; 4 added {@link Lines}). A master says its version in its {@link Hello}; a relay takes a hello of
     * {@link #OLDEST_VERSION} up to this one and speaks the master's version (no {@link Lines} to a master of 3).
     */
    int VERSION = 4;

    /** The oldest master a relay still serves. */
    int OLDEST_VERSION = 3;

    /** Master → relay, first: who it is for, the lock that keeps two relays of the same processes apart. */
    record Hello(int version, String host, String group, String lock, long deadAfterMillis) implements RelayFrame {}

    /** Master → relay: start a process; {@code graceMillis} is its stop grace should the master be lost. */
    record Launch(int handle, LaunchSpec spec, long graceMillis) implements RelayFrame {}

    /** Master → relay: ask process {@code handle} to stop ({@code stop} on stdin, SIGTERM to its group). */
    record Stop(int handle) implements RelayFrame {}

    /** Master → relay: kill process {@code handle} and its tree. */
    record Kill(int handle) implements RelayFrame {}

    /** Master → relay: send {@code signal} (a name such as {@code USR1}, without SIG) to process {@code handle}'s group. */
    record Signal(int handle, String signal) implements RelayFrame {}

    /** Either way, every second: still here. */
    record Ping() implements RelayFrame {}

    /** Master → relay: done with this session; stop what still runs (graceful, then forced) and finish. */
    record Close(String reason) implements RelayFrame {}

    /** Relay → master: it holds the host lock and takes launches; {@code pid} is the relay's own. */
    record Ready(long pid) implements RelayFrame {}

    /** Relay → master: process {@code handle} runs as {@code pid} on the host. */
    record Started(int handle, long pid) implements RelayFrame {}

    /** Relay → master: process {@code handle} could not be started, for {@code message}. */
    record Failed(int handle, String message) implements RelayFrame {}

    /**
     * Relay → master: one output line of process {@code handle}, as printed (cut at 64 KiB, UTF-8 repaired), on
     * {@code stream} (version 3; stdout when a frame does not say).
     */
    record Line(int handle, String text, WorkerStream stream) implements RelayFrame {
        public Line {
            stream = stream == null ? WorkerStream.STDOUT : stream;
        }

        public Line(int handle, String text) {
            this(handle, text, WorkerStream.STDOUT);
        }
    }

    /**
     * Relay → master (version 4): consecutive output lines of process {@code handle} on {@code stream}, in order,
     * in one frame: what the relay sends when a process prints faster than one frame a line would carry.
     */
    record Lines(int handle, List<String> texts, WorkerStream stream) implements RelayFrame {
        public Lines {
            texts = List.copyOf(texts);
            stream = stream == null ? WorkerStream.STDOUT : stream;
        }
    }

    /** Relay → master, after the process's last line: how it ended. */
    record Exited(int handle, int code, int signal) implements RelayFrame {}

    /** Relay → master, every few seconds: CPU and memory of its running processes. */
    record UsageReport(List<Sample> samples) implements RelayFrame {
        public UsageReport {
            samples = List.copyOf(samples);
        }
    }

    /** One process's figures in a {@link UsageReport}. */
    record Sample(int handle, long cpuMillis, long rssBytes) {}

    /** Relay → master: a line of the relay's own. */
    record Log(long epochMillis, String level, String message) implements RelayFrame {}

    /** Relay → master, last: every process it ran is gone; the relay exits next. */
    record Done(int exitCode) implements RelayFrame {}
}
