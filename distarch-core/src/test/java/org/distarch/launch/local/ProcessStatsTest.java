package org.distarch.launch.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A process's usage counts its children, found through the shared reading of the process table. */
class ProcessStatsTest {

    @Test
    void theMemoryOfAProcessIncludesItsChildren() throws Exception {
        Process sh = new ProcessBuilder("sh", "-c", "sleep 30 & wait").start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean counted = false;
            while (!counted && System.nanoTime() < deadline) {
                long alone = ProcessStats.rssBytes(sh.pid());
                boolean childSeen = sh.toHandle().children().findAny().isPresent();
                counted = childSeen && alone > 0 && ProcessStats.of(sh.pid()).rssBytes() > alone;
                if (!counted) {
                    Thread.sleep(100);
                }
            }
            assertThat(counted).as("the tree's memory is more than the shell's alone, within 30 s").isTrue();
            assertThat(ProcessStats.of(-1).rssBytes()).isZero();
        } finally {
            sh.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            sh.destroyForcibly();
            sh.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
