package org.distarch.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.distarch.worker.protocol.LogLevel;
import org.junit.jupiter.api.Test;

/** What a service's System.out and System.err become: master log records, one per line. */
class LogOutputStreamTest {

    private final List<LogRecord> records = new ArrayList<>();
    private final LogSink sink = records::add;

    @Test
    void eachCompleteLineBecomesOneRecordOfTheGivenLevel() {
        PrintStream err = LogOutputStream.printStream(sink, LogLevel.ERROR);
        err.print("Exception in thread \"x\" java.lang.IllegalStateException: boom\n\tat A.b(A.java:1)\npart");
        err.flush();
        assertThat(records).extracting(LogRecord::message)
                .containsExactly("Exception in thread \"x\" java.lang.IllegalStateException: boom", "\tat A.b(A.java:1)");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.level()).isEqualTo(LogLevel.ERROR);
            assertThat(r.source()).isNull();
        });
        err.println(" of a line");
        assertThat(records.get(2).message()).isEqualTo("part of a line");
    }

    @Test
    void closeWritesAnUnfinishedLastLine() {
        PrintStream out = LogOutputStream.printStream(sink, LogLevel.INFO);
        out.print("no newline");
        out.close();
        assertThat(records).extracting(LogRecord::message).containsExactly("no newline");
    }
}
