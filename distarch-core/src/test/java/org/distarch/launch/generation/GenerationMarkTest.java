package org.distarch.launch.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How a generation's workers are told from every other process by their environment. */
class GenerationMarkTest {

    private static final String WANTED = "DA_GENERATION=0123456789abcdef";

    private static boolean found(String environ) {
        return GenerationMark.contains(environ.getBytes(StandardCharsets.US_ASCII), WANTED);
    }

    @Test
    void theVariableCountsWhereverItStandsAndOnlyWhole() {
        assertThat(found("DA_GENERATION=0123456789abcdef\0PATH=/bin\0")).as("first").isTrue();
        assertThat(found("PATH=/bin\0DA_GENERATION=0123456789abcdef\0HOME=/\0")).as("between").isTrue();
        assertThat(found("PATH=/bin\0DA_GENERATION=0123456789abcdef\0")).as("last").isTrue();
        assertThat(found("PATH=/bin\0DA_GENERATION=0123456789abcdef")).as("last, no NUL").isTrue();
        assertThat(found("DA_GENERATION=0123456789abcdef")).as("alone, no NUL").isTrue();
        assertThat(found("PATH=/bin\0DA_GENERATION=0123456789abcdef0\0")).as("a longer value").isFalse();
        assertThat(found("PATH=/bin\0DA_GENERATION=0123456789abcde")).as("a shorter value").isFalse();
        assertThat(found("XDA_GENERATION=0123456789abcdef\0")).as("another name").isFalse();
        assertThat(found("A=DA_GENERATION=0123456789abcdef\0")).as("inside a value").isFalse();
        assertThat(found("")).isFalse();
    }

    @Test
    void aNewMarkIsRandomAndDatedByThisProcess() {
        GenerationMark a = GenerationMark.create();
        GenerationMark b = GenerationMark.create();
        assertThat(a.id()).matches("[0-9a-f]{16}").isNotEqualTo(b.id());
        assertThat(a.startTicks()).isEqualTo(ProcStat.of(ProcessHandle.current().pid()).orElseThrow().startTicks());
        assertThatThrownBy(() -> new GenerationMark("x y", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aProcessIsReadFromItsEnvironment() throws Exception {
        GenerationMark mark = GenerationMark.create();
        ProcessBuilder b = new ProcessBuilder("sleep", "30");
        b.environment().put("DA_GENERATION", mark.id());
        Process marked = b.start();
        Process plain = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(mark.marks(marked.pid())).isTrue();
            assertThat(mark.marks(plain.pid())).isFalse();
            assertThat(mark.marks(Long.MAX_VALUE)).as("no such process").isFalse();
        } finally {
            marked.destroyForcibly();
            plain.destroyForcibly();
        }
    }
}
