package org.distarch.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.distarch.control.ProcessStatus;
import org.distarch.event.ExitStatus;
import org.junit.jupiter.api.Test;

/**
 * The process list writes its rows straight from records ({@link ProcessRows.Item}); the event stream builds
 * them as trees ({@link ProcessRows#row}). A client reads both alike, so they must be the same text.
 */
class ProcessRowsTest {

    private static final long NOW = 1_700_000_100_000L;

    private static final ProcessStatus RUNNING = new ProcessStatus(3, "Api", "localhost", "sleep/3/1", "RUNNING",
            4242, 1_700_000_000_000L, 2, 1_700_000_050_000L, "a line with \"quotes\" and é", 1230, 45_678_912, null,
            1, "sleep 600", "WORKER", "started", 1_700_000_000_000L, 1_699_999_990_000L, 1, 1, new ExitStatus(0, 15));

    /** Nothing runs and nothing has been said: the nulls and zeros must be written as such. */
    private static final ProcessStatus NEVER_RAN = new ProcessStatus(4, "Api", "localhost", "sleep/4/2", "STOPPED",
            0, 0, 0, 0, null, 0, 0, "autostart: false");

    @Test
    void aListedRowIsWrittenAsTheEventStreamsRow() {
        for (ProcessStatus p : List.of(RUNNING, NEVER_RAN)) {
            assertThat(Json.write(ProcessRows.item(p, NOW))).isEqualTo(Json.write(ProcessRows.row(p, NOW)));
        }
    }

    @Test
    void aPageListsItsTotalOffsetLimitThenTheRowsInOrder() {
        String page = Json.write(ProcessRows.page(List.of(RUNNING, NEVER_RAN), Map.of("sort", List.of("-id")), NOW));
        assertThat(page).isEqualTo("{\"total\":2,\"offset\":0,\"limit\":100,\"items\":["
                + Json.write(ProcessRows.row(NEVER_RAN, NOW)) + "," + Json.write(ProcessRows.row(RUNNING, NOW)) + "]}");
        assertThat(page).contains("\"lastOutput\":null", "\"uptimeMillis\":100000}", "\"lastExit\":{\"code\":0,");
    }
}
