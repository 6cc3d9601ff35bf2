package org.distarch.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVMs these tests start. The master and the command line get the JIT and the collector that bin/distarch
 * gives them (C1 only, the serial collector), so the tests run the master as users do; the masters' Java
 * workers get the same through {@code DISTARCH_WORKER_JAVA_OPTS}. Dozens of JVMs start in each test class, on a
 * CI machine of two cores: with C2 and G1 every start costs about twice the CPU and tests nothing more
 * (GettingStartedIT and the Spring example's FatJarIT start masters and workers with the JVM's defaults).
 */
final class Jvm {

    /** bin/distarch's default master options, less its heap sizes (the tests' masters need no tuning). */
    static final List<String> MASTER_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData");
    static final String WORKER_OPTIONS = String.join(" ", MASTER_OPTIONS);

    private Jvm() {
    }

    /** {@code java OPTIONS -cp CLASS_PATH MAIN}: this JVM's java, with {@link #MASTER_OPTIONS}. */
    static List<String> java(String classPath, String main) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(MASTER_OPTIONS);
        command.addAll(List.of("-cp", classPath, main));
        return command;
    }

    /** As {@link #java(String, String)} with this JVM's class path and {@link TestApp}. */
    static List<String> testApp() {
        return java(System.getProperty("java.class.path"), TestApp.class.getName());
    }

    /** Gives a master's Java workers {@link #WORKER_OPTIONS}, unless the test chose others. */
    static void workerOptions(Map<String, String> environment) {
        environment.putIfAbsent("DISTARCH_WORKER_JAVA_OPTS", WORKER_OPTIONS);
    }
}
