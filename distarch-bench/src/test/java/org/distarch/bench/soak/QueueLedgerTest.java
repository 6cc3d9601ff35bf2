package org.distarch.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueLedgerTest {

    @TempDir
    Path dir;

    private void feeder(String life, String... lines) throws Exception {
        Files.writeString(dir.resolve("feeder-" + life + ".log"), String.join("\n", lines) + "\n");
    }

    private void consumer(String name, String... lines) throws Exception {
        Files.writeString(dir.resolve("consumer-" + name + ".log"), String.join("\n", lines) + "\n");
    }

    @Test
    void eachIssuedItemWithOneOutcomeHolds() throws Exception {
        feeder("10-1", "issued 10-1-1", "issued 10-1-2", "ok 10-1-1", "error 10-1-2 lost after 5 attempts");
        consumer("20-1", "handled 10-1-1 1", "handled 10-1-1 2");

        QueueLedger.Figures f = QueueLedger.check(dir, Set.of());

        assertThat(f.violations()).isEmpty();
        assertThat(f.issued()).isEqualTo(2);
        assertThat(f.ok()).isEqualTo(1);
        assertThat(f.errors()).isEqualTo(1);
        assertThat(f.handledTwiceOrMore()).isEqualTo(1);
        assertThat(f.errorReasons()).containsEntry("lost after N attempts", 1L);
    }

    @Test
    void twoOutcomesForOneItemAreAViolation() throws Exception {
        feeder("10-1", "issued 10-1-1", "ok 10-1-1", "error 10-1-1 late");
        consumer("20-1", "handled 10-1-1 1");

        assertThat(QueueLedger.check(dir, Set.of()).violations()).singleElement().asString().contains("2 outcomes");
    }

    @Test
    void anItemWithoutOutcomeIsAViolationUnlessTheSoakKilledItsFeeder() throws Exception {
        feeder("10-1", "issued 10-1-1", "issued 10-1-2", "ok 10-1-1");
        consumer("20-1", "handled 10-1-1 1");

        assertThat(QueueLedger.check(dir, Set.of()).violations()).singleElement().asString()
                .contains("not killed by the soak", "1 issued item(s) without an outcome");
        QueueLedger.Figures killed = QueueLedger.check(dir, Set.of(10L));
        assertThat(killed.violations()).isEmpty();
        assertThat(killed.inFlightAtKill()).isEqualTo(1);
        assertThat(killed.killedLives()).isEqualTo(1);
    }

    @Test
    void aSuccessNoConsumerHandledAndAnOutcomeNeverIssuedAreViolations() throws Exception {
        feeder("10-1", "issued 10-1-1", "ok 10-1-1", "ok 10-1-9");

        assertThat(QueueLedger.check(dir, Set.of()).violations()).hasSize(3)
                .anyMatch(v -> v.contains("10-1-1 succeeded, but no consumer handled it"))
                .anyMatch(v -> v.contains("never issued"));
    }
}
