package org.distarch.master;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.distarch.event.ProcessIdentity;

/**
 * What an operator asked to outlast the master ({@code suspend --persist}, {@code stop --persist}): the groups
 * kept suspended and the processes kept stopped, in a small JSON file beside the pid file, mode 0600, replaced
 * atomically (written to a temporary file in the same directory, then renamed over it). {@code run-master} reads
 * it at start; {@code resume} and {@code start} take entries out; the file is removed once it holds nothing.
 * Processes are named by group, host and group id, which stay the same across master restarts (ids may not).
 * Confined to the supervision thread.
 */
final class OperatorState {

    /** The file's content; {@code version} 1. */
    record Content(int version, List<String> suspendedGroups, List<Stopped> stoppedProcesses) {
        Content {
            suspendedGroups = suspendedGroups == null ? List.of() : List.copyOf(suspendedGroups);
            stoppedProcesses = stoppedProcesses == null ? List.of() : List.copyOf(stoppedProcesses);
        }
    }

    /** A process kept stopped. */
    record Stopped(String group, String host, int groupId) {
        static Stopped of(ProcessIdentity id) {
            return new Stopped(id.group(), id.host(), id.groupId());
        }

        @Override
        public String toString() {
            return group + "/" + groupId + "@" + host;
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Path file;
    private final Set<String> suspended = new LinkedHashSet<>();
    private final Set<Stopped> stopped = new LinkedHashSet<>();

    private OperatorState(Path file) {
        this.file = file;
    }

    /** No file: nothing persists, and asking to persist is refused. */
    static OperatorState none() {
        return new OperatorState(null);
    }

    /**
     * Reads {@code file} (absent: empty). A file that cannot be read or parsed is moved aside to
     * {@code FILE.invalid} (so nothing is lost) and the master starts without it; {@code problem} hears why.
     */
    static OperatorState load(Path file, java.util.function.Consumer<String> problem) {
        OperatorState state = new OperatorState(file);
        if (!Files.exists(file)) {
            return state;
        }
        try {
            Content c = JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), Content.class);
            if (c == null || c.version() != 1) {
                throw new IOException("not a version 1 state file");
            }
            state.suspended.addAll(c.suspendedGroups());
            state.stopped.addAll(c.stoppedProcesses());
        } catch (IOException | RuntimeException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e.getMessage());
            Path aside = file.resolveSibling(file.getFileName() + ".invalid");
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                problem.accept("Ignoring the operator state file " + file + " (" + why + "); moved it to " + aside);
            } catch (IOException moveFailed) {
                problem.accept("Ignoring the operator state file " + file + " (" + why + "); could not move it aside: "
                        + moveFailed);
            }
        }
        return state;
    }

    boolean enabled() {
        return file != null;
    }

    Path file() {
        return file;
    }

    Set<String> suspendedGroups() {
        return Set.copyOf(suspended);
    }

    Set<Stopped> stoppedProcesses() {
        return Set.copyOf(stopped);
    }

    boolean isSuspended(String group) {
        return suspended.contains(group);
    }

    boolean isStopped(ProcessIdentity id) {
        return stopped.contains(Stopped.of(id));
    }

    /** Records the changes; returns null, or why the file could not be written (the change holds until then). */
    String suspend(List<String> groups) {
        return suspended.addAll(groups) ? save() : null;
    }

    String resume(List<String> groups) {
        return suspended.removeAll(groups) ? save() : null;
    }

    String stop(List<ProcessIdentity> processes) {
        return stopped.addAll(processes.stream().map(Stopped::of).toList()) ? save() : null;
    }

    String start(List<ProcessIdentity> processes) {
        return stopped.removeAll(processes.stream().map(Stopped::of).toList()) ? save() : null;
    }

    private String save() {
        if (file == null) {
            return null;
        }
        try {
            if (suspended.isEmpty() && stopped.isEmpty()) {
                Files.deleteIfExists(file);
                return null;
            }
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                        new Content(1, new ArrayList<>(suspended), new ArrayList<>(stopped))) + "\n",
                        StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return null;
        } catch (AccessDeniedException e) {
            return "cannot write the state file " + file + " (permission denied)";
        } catch (IOException e) {
            return "cannot write the state file " + file + ": " + e;
        }
    }
}
