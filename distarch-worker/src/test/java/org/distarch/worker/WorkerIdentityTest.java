package org.distarch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class WorkerIdentityTest {

    @Test
    void onlyTheIdIsRequired() {
        WorkerIdentity identity = WorkerIdentity.parse(Map.of("DA_ID", "4"), "app:x");

        assertThat(identity).isEqualTo(new WorkerIdentity(4, 1, 1, "localhost",
                new GroupView("", "app:x", Optional.empty(), Optional.empty(), OptionalInt.empty(),
                        Duration.ofSeconds(30), Map.of()),
                "app:x/4/1", "1", Duration.ofSeconds(10)));
        assertThat(WorkerIdentity.present(Map.of("DA_ID", " "))).isFalse();
    }

    @Test
    void pingIntervalIsATimeoutThirdClampedToOneToFiveSeconds() {
        assertThat(withTimeout("3").pingInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(withTimeout("1").pingInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(withTimeout("12").pingInterval()).isEqualTo(Duration.ofSeconds(4));
        assertThat(withTimeout("300").pingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(withTimeout("7.5").timeout()).isEqualTo(Duration.ofMillis(7500));
    }

    private static WorkerIdentity withTimeout(String seconds) {
        return WorkerIdentity.parse(Map.of("DA_ID", "1", "DA_TIMEOUT", seconds), "c");
    }

    @Test
    void paramsAreDeeplyUnmodifiable() {
        WorkerIdentity identity = WorkerIdentity.parse(
                Map.of("DA_ID", "1", "DA_PARAMS", "{\"l\":[{\"k\":1}]}"), "c");

        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) identity.params().get("l");
        assertThatThrownBy(() -> list.add(1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) list.get(0);
        assertThatThrownBy(() -> map.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void invalidValuesNameTheirVariable() {
        assertThatThrownBy(() -> WorkerIdentity.parse(Map.of("DA_ID", "0"), "c"))
                .hasMessage("DA_ID must be at least 1, got 0");
        assertThatThrownBy(() -> WorkerIdentity.parse(Map.of("DA_ID", "1", "DA_GROUP_COUNT", "x"), "c"))
                .hasMessageStartingWith("DA_GROUP_COUNT must be an integer");
        assertThatThrownBy(() -> WorkerIdentity.parse(Map.of("DA_ID", "1", "DA_TIMEOUT", "-1"), "c"))
                .hasMessageStartingWith("DA_TIMEOUT must be a number of seconds");
        assertThatThrownBy(() -> WorkerIdentity.parse(Map.of("DA_ID", "1", "DA_PARAMS", "[1]"), "c"))
                .hasMessageStartingWith("DA_PARAMS must be a JSON object");
        assertThatThrownBy(() -> WorkerIdentity.parse(Map.of("DA_ID", "1", "DA_PARAMS", "{"), "c"))
                .hasMessageStartingWith("DA_PARAMS must be a JSON object");
        assertThatThrownBy(() -> WorkerIdentity.parse(Map.of("DA_ID", "1", "DA_PRIORITY", "high"), "c"))
                .hasMessage("DA_PRIORITY must be an integer, got 'high'");
    }

    @Test
    void blankGroupSettingsAreUnset() {
        GroupView group = WorkerIdentity.parse(Map.of("DA_ID", "1", "DA_PATH", "", "DA_BIN_PATH", " ",
                "DA_PRIORITY", "", "DA_GROUP_COMMAND", ""), "app:c").group();

        assertThat(group.path()).isEmpty();
        assertThat(group.binPath()).isEmpty();
        assertThat(group.priority()).isEmpty();
        assertThat(group.command()).isEqualTo("app:c");
    }
}
