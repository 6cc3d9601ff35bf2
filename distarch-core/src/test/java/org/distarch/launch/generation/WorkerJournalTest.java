package org.distarch.launch.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal of running workers: what the next master reads after this one was killed. */
class WorkerJournalTest {

    @TempDir
    Path dir;

    private static final GenerationMark MARK = new GenerationMark("0123456789abcdef", 4242);

    private static WorkerJournal.Entry entry(long pid) {
        return new WorkerJournal.Entry(pid, 1000 + pid, pid, 20_000, "Web/" + pid + "/9");
    }

    @Test
    void startedWorkersWithoutAnEndAreWhatTheNextGenerationReads() throws IOException {
        Path file = dir.resolve("m.workers");
        WorkerJournal journal = WorkerJournal.create(file, Path.of("/sys/fs/cgroup/x/distarch-1-ab"), MARK);
        journal.started(entry(11));
        journal.started(entry(12));
        journal.started(entry(13));
        journal.ended(12);
        // The writer dies here (no close): the file is what it wrote.
        WorkerJournal.Contents read = WorkerJournal.read(file);
        assertThat(read.entries()).containsExactly(entry(11), entry(13));
        assertThat(read.cgroupRoot()).isEqualTo(Path.of("/sys/fs/cgroup/x/distarch-1-ab"));
        assertThat(read.mark()).isEqualTo(MARK);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    /** A worker spawned just before its writer died is in no "+" line; its grace was written before the spawn. */
    @Test
    void theLongestGraceAskedForIsKeptAheadOfTheSpawnsAndAcrossARewrite() throws IOException {
        Path file = dir.resolve("m.workers");
        WorkerJournal journal = WorkerJournal.create(file, null, MARK);
        assertThat(WorkerJournal.read(file).graceMillis()).isZero();
        journal.graceAtLeast(18_000);
        journal.graceAtLeast(5_000);
        journal.graceAtLeast(18_000);
        assertThat(WorkerJournal.read(file).graceMillis()).isEqualTo(18_000);
        assertThat(Files.readAllLines(file)).filteredOn(l -> l.startsWith("grace ")).containsExactly("grace 18000");
        for (long pid = 100; pid < 1200; pid++) {
            journal.started(entry(pid));
            journal.ended(pid); // enough dead lines for a rewrite
        }
        assertThat(WorkerJournal.read(file).entries()).isEmpty();
        assertThat(Files.readAllLines(file)).hasSizeLessThan(1100);
        assertThat(WorkerJournal.read(file).graceMillis()).isEqualTo(18_000);
        assertThat(WorkerJournal.read(file).mark()).isEqualTo(MARK);
    }

    @Test
    void aLineTornByTheWritersDeathIsSkippedAndTheRestCounts() throws IOException {
        Path file = dir.resolve("m.workers");
        WorkerJournal journal = WorkerJournal.create(file, null, MARK);
        journal.started(entry(21));
        Files.writeString(file, "+ 22 99", StandardOpenOption.APPEND);
        assertThat(WorkerJournal.read(file).entries()).containsExactly(entry(21));
    }

    @Test
    void anIdentityWithSpacesSurvives() throws IOException {
        Path file = dir.resolve("m.workers");
        WorkerJournal journal = WorkerJournal.create(file, null, MARK);
        WorkerJournal.Entry e = new WorkerJournal.Entry(5, 6, 0, 100, "First Group/2/4");
        journal.started(e);
        assertThat(WorkerJournal.read(file).entries()).containsExactly(e);
    }

    @Test
    void restartsAppendAndTheFileIsRewrittenOnceTheDeadOutnumberTheLive() throws IOException {
        Path file = dir.resolve("m.workers");
        WorkerJournal journal = WorkerJournal.create(file, null, MARK);
        for (long pid = 100; pid < 1100; pid++) {
            journal.started(entry(pid)); // a thousand workers
        }
        for (int round = 0; round < 20; round++) {
            for (long pid = 100; pid < 1100; pid++) {
                journal.ended(pid);
                journal.started(entry(pid)); // each restarted twenty times
            }
        }
        assertThat(WorkerJournal.read(file).entries()).hasSize(1000);
        // live lines, plus at most the slack and as many dead ones: never the 41,000 lines written
        assertThat(Files.readAllLines(file).size()).isLessThan(4 * 1000 + 1100);
    }

    @Test
    void closingRemovesTheFileWhenNoWorkerIsLeftAndKeepsItOtherwise() throws IOException {
        Path empty = dir.resolve("a.workers");
        WorkerJournal a = WorkerJournal.create(empty, null, MARK);
        a.started(entry(1));
        a.ended(1);
        a.close();
        assertThat(empty).doesNotExist();
        Path kept = dir.resolve("b.workers");
        WorkerJournal b = WorkerJournal.create(kept, null, MARK);
        b.started(entry(2));
        b.close();
        assertThat(WorkerJournal.read(kept).entries()).containsExactly(entry(2));
    }

    /** Defence in depth behind the relay lock (soak, seed 53973489): an older writer never removes a newer journal. */
    @Test
    void closingLeavesAJournalThatAnotherWriterPutUnderTheName() throws IOException {
        Path file = dir.resolve("r.workers");
        WorkerJournal older = WorkerJournal.create(file, null, MARK);
        WorkerJournal newer = WorkerJournal.create(file, null, MARK);
        newer.started(new WorkerJournal.Entry(34, 99, 34, 18000, "Remote/5/2"));
        older.close();
        assertThat(WorkerJournal.read(file).entries()).extracting(WorkerJournal.Entry::pid).containsExactly(34L);
        newer.close();
    }

    @Test
    void anAbsentJournalIsEmptyAndAForeignFileOrALinkIsRefused() throws IOException {
        assertThat(WorkerJournal.read(dir.resolve("none.workers"))).isEqualTo(WorkerJournal.Contents.EMPTY);
        Path foreign = Files.writeString(dir.resolve("f.workers"), "hello\n");
        assertThatThrownBy(() -> WorkerJournal.read(foreign)).hasMessageContaining("is not a workers journal");
        Path link = Files.createSymbolicLink(dir.resolve("l.workers"), foreign);
        assertThatThrownBy(() -> WorkerJournal.read(link)).hasMessageContaining("symbolic link");
    }

    @Test
    void procStatReadsTheFieldsAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4711 (my (odd) name) S 1 4711 4711 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 123456 1000 50";
        assertThat(ProcStat.parse(4711, stat)).contains(new ProcStat(4711, 'S', 1, 4711, 4711, 123456));
        assertThat(ProcStat.parse(1, "garbage")).isEmpty();
    }
}
