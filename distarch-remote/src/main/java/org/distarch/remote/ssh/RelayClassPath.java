package org.distarch.remote.ssh;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The few entries of the master's class path that the relay runs on: its own module and the core's launcher
 * (with the config and worker modules they use), Jackson's streaming layer and JNA. A relay started with the
 * whole class path of an application opened every jar of it (each one's directory is kept in memory) and,
 * through the application's main, built its worker commands and listeners: 5.7 MiB of every relay's RSS
 * (56.1 to 50.4 MiB with 50 processes, docs/design.md "The relay's JVM").
 * Found by where those classes were loaded from, and used only when each of those is an entry of the relay
 * launcher's own class path (else, e.g. for a Spring Boot jar, a wildcard class path or a custom class loader,
 * the relay starts through the application's main as before).
 */
final class RelayClassPath {

    /** One class of each part the relay runs on, by name (JNA is not read by this module). */
    private static final List<String> PARTS = List.of("org.distarch.remote.relay.RelayMain",
            "org.distarch.launch.local.LocalLauncher", "org.distarch.config.StopSignal",
            "org.distarch.worker.WorkerCommand", "com.fasterxml.jackson.core.JsonFactory", "com.sun.jna.Native");

    private RelayClassPath() {}

    /** Where this JVM loaded the relay's parts from; empty if one is not a plain jar or directory. */
    static Optional<List<Path>> sources() {
        List<Path> sources = new ArrayList<>();
        for (String name : PARTS) {
            Optional<Path> source = source(name);
            if (source.isEmpty()) {
                return Optional.empty();
            }
            sources.add(source.get());
        }
        return Optional.of(List.copyOf(sources));
    }

    /** The {@code sources} as a class path, if every one is an entry of {@code classPath}; else empty. */
    static Optional<String> within(String classPath, List<Path> sources) {
        Set<Path> entries = new LinkedHashSet<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().normalize());
            }
        }
        Set<String> used = new LinkedHashSet<>();
        for (Path source : sources) {
            Path normal = source.toAbsolutePath().normalize();
            if (!entries.contains(normal)) {
                return Optional.empty();
            }
            used.add(normal.toString());
        }
        return used.isEmpty() ? Optional.empty() : Optional.of(String.join(File.pathSeparator, used));
    }

    private static Optional<Path> source(String className) {
        try {
            Class<?> c = Class.forName(className, false, RelayClassPath.class.getClassLoader());
            CodeSource code = c.getProtectionDomain().getCodeSource();
            URL location = code == null ? null : code.getLocation();
            if (location == null || !"file".equals(location.getProtocol())) {
                return Optional.empty();
            }
            return Optional.of(Path.of(location.toURI()));
        } catch (ClassNotFoundException | URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }
}
