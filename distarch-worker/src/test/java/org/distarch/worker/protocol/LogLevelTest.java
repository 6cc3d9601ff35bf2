package org.distarch.worker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogLevelTest {

    @Test
    void parsesLeniently() {
        assertThat(LogLevel.parse("trace")).contains(LogLevel.TRACE);
        assertThat(LogLevel.parse("DEBUG")).contains(LogLevel.DEBUG);
        assertThat(LogLevel.parse(" Info ")).contains(LogLevel.INFO);
        assertThat(LogLevel.parse("warn")).contains(LogLevel.WARN);
        assertThat(LogLevel.parse("Warning")).contains(LogLevel.WARN);
        assertThat(LogLevel.parse("ERROR")).contains(LogLevel.ERROR);
    }

    @Test
    void rejectsEverythingElse() {
        for (String text : new String[] {null, "", " ", "fatal", "err", "warnings", "inf", "trace debug"}) {
            assertThat(LogLevel.parse(text)).as(String.valueOf(text)).isEqualTo(Optional.empty());
        }
    }

    @Test
    void wireNamesAreLowerCase() {
        assertThat(LogLevel.WARN.wireName()).isEqualTo("warn");
        for (LogLevel level : LogLevel.values()) {
            assertThat(LogLevel.parse(level.wireName())).contains(level);
        }
    }
}
