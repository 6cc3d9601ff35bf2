package org.distarch.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    @Test
    void everyEventOfTheSealedHierarchyIsInTheTable() {
        Set<Class<?>> events = leaves(DistarchEvent.class);
        Set<Class<?>> inTable = EventCodec.names().stream().map(EventCodec::type).collect(Collectors.toSet());

        assertThat(events).hasSize(16);
        assertThat(inTable).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void everyEventHasASampleAndTheTableNamesIt() {
        Set<Class<?>> sampled = new HashSet<>();
        for (DistarchEvent e : SampleEvents.all()) {
            assertThat(EventCodec.type(e.name())).as(e.name()).isEqualTo(e.getClass());
            sampled.add(e.getClass());
        }
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(leaves(DistarchEvent.class));
    }

    @Test
    void nullableFieldsOfTheTableExistAndNoFieldIsCalledEvent() {
        for (String name : EventCodec.names()) {
            Set<String> components = Arrays.stream(EventCodec.type(name).getRecordComponents())
                    .map(RecordComponent::getName).collect(Collectors.toSet());
            assertThat(components).as(name).containsAll(EventCodec.nullable(name)).doesNotContain("event");
        }
    }

    @Test
    void everySampleSurvivesARoundTrip() {
        for (DistarchEvent e : SampleEvents.all()) {
            String json = EventCodec.encode(e);
            assertThat(json).startsWith("{\"event\":\"" + e.name() + "\",\"time\":").doesNotContain("\n");
            assertThat(EventCodec.decode(json)).as(json).isEqualTo(e);
            assertThat(EventCodec.fromJson(EventCodec.toJson(e))).isEqualTo(e);
        }
    }

    @Test
    void theJsonOfAStoppedProcessAsDocumented() {
        DistarchEvent e = new ProcessEvent.Stopped(Instant.parse("2026-12-01T08:30:15.250Z"), SampleEvents.WORKER,
                new ExitStatus(143, 15), ProcessEvent.Outcome.RESTARTING, "killed by signal 15 (SIGTERM)",
                Duration.ofMillis(1500));

        assertThat(EventCodec.encode(e)).isEqualTo("{\"event\":\"process_stopped\",\"time\":1796113815250,"
                + "\"process\":{\"id\":3,\"groupId\":2,\"groupCount\":4,\"group\":\"resize\",\"host\":\"localhost\","
                + "\"command\":\"python3 resize.py\",\"role\":\"WORKER\"},\"exit\":{\"code\":143,\"signal\":15},"
                + "\"outcome\":\"RESTARTING\",\"reason\":\"killed by signal 15 (SIGTERM)\",\"restartIn\":1500}");
        assertThat(EventCodec.encode(new ProcessEvent.Stopped(e.time(), SampleEvents.WORKER, null,
                ProcessEvent.Outcome.STOPPED, "stopped", null))).contains("\"exit\":null").contains("\"restartIn\":null");
    }

    @Test
    void timesAndDurationsAreMilliseconds() {
        DistarchEvent e = new ProcessEvent.TimedOut(Instant.ofEpochSecond(1_800_000_000L, 123_456_789),
                SampleEvents.WORKER, Duration.ofNanos(30_000_999_999L), 1);

        ProcessEvent.TimedOut back = (ProcessEvent.TimedOut) EventCodec.decode(EventCodec.encode(e));

        assertThat(EventCodec.toJson(e).get("time").asLong()).isEqualTo(1_800_000_000_123L);
        assertThat(EventCodec.toJson(e).get("silence").asLong()).isEqualTo(30_000L);
        assertThat(back.time()).isEqualTo(Instant.ofEpochMilli(1_800_000_000_123L));
        assertThat(back.silence()).isEqualTo(Duration.ofMillis(30_000));
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = EventCodec.encode(SampleEvents.all().get(0)).replace("{\"event\"", "{\"newField\":[1,{}],\"event\"");

        assertThat(EventCodec.decode(json)).isEqualTo(SampleEvents.all().get(0));
    }

    @Test
    void malformedInputIsRefusedWithTheReason() {
        String started = EventCodec.encode(new ProcessEvent.Started(SampleEvents.T, SampleEvents.WORKER, 7));
        String stopped = EventCodec.encode(SampleEvents.all().get(10));
        List<String[]> cases = new ArrayList<>(List.of(
                new String[] {"", "an event is a JSON object"},
                new String[] {"nope", "not JSON"},
                new String[] {"{\"event\":", "not JSON"},
                new String[] {"[1,2]", "an event is a JSON object"},
                new String[] {"{}", "missing text field \"event\""},
                new String[] {"{\"event\":7}", "missing text field \"event\""},
                new String[] {"{\"event\":\"process_exploded\"}", "unknown event \"process_exploded\""},
                new String[] {started.replace(",\"pid\":7", ""), "process_started: missing field \"pid\""},
                new String[] {started.replace("\"pid\":7", "\"pid\":\"7\""), "process_started: field \"pid\": expected an integer"},
                new String[] {started.replace("\"pid\":7", "\"pid\":7.5"), "process_started: field \"pid\": expected an integer"},
                new String[] {started.replace("\"pid\":7", "\"pid\":null"), "process_started: field \"pid\": expected an integer"},
                new String[] {started.replace("\"pid\":7", "\"pid\":99999999999999999999"), "process_started: field \"pid\": number out of range"},
                new String[] {started.replace("\"group\":\"resize\"", "\"group\":5"), "process_started: field \"process.group\": expected a string"},
                new String[] {started.replace("\"group\":\"resize\"", "\"group\":null"), "process_started: field \"process.group\" must not be null"},
                new String[] {started.replace(",\"host\":\"localhost\"", ""), "process_started: missing field \"process.host\""},
                new String[] {started.replace("\"WORKER\"", "\"BOSS\""), "process_started: field \"process.role\": expected one of WORKER, FEEDER, CONSUMER"},
                new String[] {started.replace("\"WORKER\"", "99999999999999999999"), "process_started: field \"process.role\": expected one of WORKER, FEEDER, CONSUMER"},
                new String[] {started.replace("\"WORKER\"", "0"), "process_started: field \"process.role\": expected one of WORKER, FEEDER, CONSUMER"},
                new String[] {started.replace("\"process\":{", "\"process\":{\"id\":4,"), "not JSON: Duplicate field 'id'"},
                new String[] {started.replace("{\"event\"", "{\"pid\":1,\"event\""), "not JSON: Duplicate field 'pid'"},
                new String[] {started.replace("\"process\":{\"id\":3,\"groupId\":2,\"groupCount\":4,\"group\":\"resize\","
                        + "\"host\":\"localhost\",\"command\":\"python3 resize.py\",\"role\":\"WORKER\"}", "\"process\":null"),
                        "process_started: field \"process\" must not be null"},
                new String[] {started.replaceFirst("\"time\":\\d+", "\"time\":\"2026-12-01T08:30:15Z\""),
                        "process_started: field \"time\": expected epoch milliseconds (an integer)"},
                new String[] {started.replaceFirst("\"time\":\\d+", "\"time\":1.5"),
                        "process_started: field \"time\": expected epoch milliseconds (an integer)"},
                new String[] {started.replaceFirst("\"time\":\\d+", "\"time\":null"),
                        "process_started: field \"time\" must not be null"},
                new String[] {stopped.replace("\"restartIn\":1500", "\"restartIn\":-1"),
                        "process_stopped: field \"restartIn\": expected milliseconds (a non-negative integer)"},
                new String[] {stopped.replace("\"restartIn\":1500", "\"restartIn\":1.5"),
                        "process_stopped: field \"restartIn\": expected milliseconds (a non-negative integer)"},
                new String[] {stopped.replace("\"exit\":{\"code\":143,\"signal\":15}", "\"exit\":143"),
                        "process_stopped: field \"exit\": expected an object"},
                new String[] {stopped.replace("\"exit\":{\"code\":143,\"signal\":15}", "\"exit\":{\"code\":143}"),
                        "process_stopped: missing field \"exit.signal\""},
                new String[] {started + " {}", "not JSON"},
                new String[] {"{\"a\":".repeat(100) + "1" + "}".repeat(100), "not an event: nested too deeply"}));
        for (String[] c : cases) {
            assertThatThrownBy(() -> EventCodec.decode(c[0])).as(c[0]).isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(c[1]);
        }
    }

    @Test
    void inputOverTheLimitIsRefusedBeforeParsing() {
        String huge = "{\"event\":\"process_running\",\"line\":\"" + "x".repeat(EventCodec.MAX_CHARS) + "\"}";

        assertThatThrownBy(() -> EventCodec.decode(huge)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("event longer than 1048576 characters");
        assertThatThrownBy(() -> EventCodec.decode("[" + " ".repeat(EventCodec.MAX_CHARS) + "]"))
                .hasMessage("event longer than 1048576 characters");
    }

    @Test
    void noInputIsRefused() {
        assertThatThrownBy(() -> EventCodec.decode(null)).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventCodec.fromJson(null)).isExactlyInstanceOf(IllegalArgumentException.class);
    }

    /** The concrete records under a sealed interface, walking permitted subclasses recursively. */
    static Set<Class<?>> leaves(Class<?> sealed) {
        Set<Class<?>> leaves = new HashSet<>();
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (c.isSealed()) {
                leaves.addAll(leaves(c));
            } else {
                assertThat(c.isRecord()).as(c + " is a record").isTrue();
                leaves.add(c);
            }
        }
        return leaves;
    }
}
