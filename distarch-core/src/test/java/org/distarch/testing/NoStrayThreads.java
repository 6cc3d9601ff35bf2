package org.distarch.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After each test: no distarch thread it started (named {@code distarch-*}: supervisor, spawner, signaller,
 * readers, writers, event delivery, relays...) may still run. A thread is given 10 s to finish: closing a
 * launcher or a bus may take a moment, a leak never ends.
 */
public final class NoStrayThreads implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoStrayThreads.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("before", new HashSet<>(distarchThreads()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) throws InterruptedException {
        Set<Thread> before = (Set<Thread>) context.getStore(NS).get("before");
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<Thread> left = strays(before);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = strays(before);
        }
        assertThat(left.stream().map(t -> t.getName() + " (" + t.getState() + ")").toList())
                .as("distarch threads left behind by the test").isEmpty();
    }

    private static List<Thread> strays(Set<Thread> before) {
        return distarchThreads().stream().filter(t -> !before.contains(t)).toList();
    }

    private static List<Thread> distarchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("distarch-")).toList();
    }
}
