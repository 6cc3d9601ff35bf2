package org.distarch.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandWordsTest {

    @Test
    void splitsLikeAShellWithoutRunningOne() {
        assertThat(CommandWords.split("app:test-command")).containsExactly("app:test-command");
        assertThat(CommandWords.split("  worker.py  --name 'two words' \"a \\\"b\\\" $c\" x\\ y "))
                .containsExactly("worker.py", "--name", "two words", "a \"b\" $c", "x y");
        assertThat(CommandWords.split("''")).containsExactly("");
    }

    @Test
    void anUnterminatedQuoteIsAnError() {
        assertThatThrownBy(() -> CommandWords.split("run 'oops")).hasMessageContaining("unterminated");
    }
}
