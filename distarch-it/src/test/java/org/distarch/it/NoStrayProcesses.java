package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After each test: no process started by it may be left running (masters, workers, their children), and no
 * distarch thread it started in this JVM (named {@code distarch-*}) may still run.
 */
final class NoStrayProcesses implements BeforeEachCallback, AfterEachCallback {

    private Set<Thread> threadsBefore = Set.of();

    @Override
    public void beforeEach(ExtensionContext context) {
        threadsBefore = Set.copyOf(distarchThreads());
    }

    private static List<Thread> distarchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("distarch-")).toList();
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        processes();
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<Thread> strays = distarchThreads().stream().filter(t -> !threadsBefore.contains(t)).toList();
        while (!strays.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            strays = distarchThreads().stream().filter(t -> !threadsBefore.contains(t)).toList();
        }
        assertThat(strays.stream().map(Thread::getName).toList()).as("distarch threads left behind by the test").isEmpty();
    }

    private void processes() throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        }
        List<String> described = left.stream()
                .map(p -> p.pid() + " " + CommandLines.of(p)).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        assertThat(described).as("processes left behind by the test").isEmpty();
    }
}
