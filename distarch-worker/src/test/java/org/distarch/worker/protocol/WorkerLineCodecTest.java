package org.distarch.worker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.distarch.worker.protocol.WorkerLine.Ended;
import org.distarch.worker.protocol.WorkerLine.Log;
import org.distarch.worker.protocol.WorkerLine.Output;
import org.distarch.worker.protocol.WorkerLine.Ping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerLineCodecTest {

    @Test
    void ordinaryLinesAreOutputVerbatim() {
        assertThat(WorkerLineCodec.parse("hello world")).isEqualTo(new Output("hello world"));
        assertThat(WorkerLineCodec.parse("")).isEqualTo(new Output(""));
        assertThat(WorkerLineCodec.parse("  @@distarch ping")).isEqualTo(new Output("  @@distarch ping"));
        assertThat(WorkerLineCodec.parse("@ something")).isEqualTo(new Output("@ something"));
        assertThat(WorkerLineCodec.parse(null)).isEqualTo(new Output(""));
    }

    @Test
    void pingAndEnded() {
        assertThat(WorkerLineCodec.parse("@@distarch ping")).isEqualTo(new Ping());
        assertThat(WorkerLineCodec.parse("@@distarch ended")).isEqualTo(new Ended());
        assertThat(WorkerLineCodec.parse("@@distarch ping \r")).as("trailing blanks and CR").isEqualTo(new Ping());
        assertThat(WorkerLineCodec.ping()).isEqualTo("@@distarch ping");
        assertThat(WorkerLineCodec.ended()).isEqualTo("@@distarch ended");
    }

    @Test
    void aFeedersConsumerCountIsReadExactlyAndAnythingElseAfterTheVerbIsOutput() {
        assertThat(WorkerLineCodec.parse("@@distarch consumers 4")).isEqualTo(new WorkerLine.Consumers(4));
        assertThat(WorkerLineCodec.parse("@@distarch consumers 0 \r")).isEqualTo(new WorkerLine.Consumers(0));
        assertThat(WorkerLineCodec.consumers(12)).isEqualTo("@@distarch consumers 12");
        assertThat(WorkerLineCodec.parse(WorkerLineCodec.consumers(999_999_999)))
                .isEqualTo(new WorkerLine.Consumers(999_999_999));
        assertThat(WorkerLineCodec.encode(new WorkerLine.Consumers(3))).isEqualTo("@@distarch consumers 3");
        for (String odd : new String[] {"@@distarch consumers", "@@distarch consumers ", "@@distarch consumers -1",
            "@@distarch consumers 1.5", "@@distarch consumers 1e3", "@@distarch consumers 4 5",
            "@@distarch consumers 1234567890", "@@distarch consumers +3", "@@distarch consumers \u0663"}) {
            assertThat(WorkerLineCodec.parse(odd)).as(odd).isEqualTo(new Output(odd));
        }
    }

    @Test
    void plainLogLines() {
        assertThat(WorkerLineCodec.parse("@@distarch log warn disk almost full"))
                .isEqualTo(new Log(LogLevel.WARN, "disk almost full"));
        assertThat(WorkerLineCodec.parse("@@distarch log WARNING  two spaces"))
                .isEqualTo(new Log(LogLevel.WARN, " two spaces"));
        assertThat(WorkerLineCodec.parse("@@distarch log error")).isEqualTo(new Log(LogLevel.ERROR, ""));
        assertThat(WorkerLineCodec.parse("@@distarch log Debug x {\"json\":1}"))
                .isEqualTo(new Log(LogLevel.DEBUG, "x {\"json\":1}"));
    }

    @Test
    void jsonLogLines() {
        assertThat(WorkerLineCodec.parse(
                "@@distarch json {\"level\":\"warn\",\"message\":\"a\\nb\",\"context\":{\"k\":\"v\",\"n\":3,\"t\":true}}"))
                .isEqualTo(new Log(LogLevel.WARN, "a\nb", Map.of("k", "v", "n", "3", "t", "true")));
        assertThat(WorkerLineCodec.parse("@@distarch json {\"message\":\"no level\"}"))
                .as("level defaults to info").isEqualTo(new Log(LogLevel.INFO, "no level"));
        assertThat(WorkerLineCodec.parse("@@distarch json  { \"message\" : \"x\", \"extra\": [1], \"context\": null } "))
                .as("blanks, unknown fields, null context").isEqualTo(new Log(LogLevel.INFO, "x"));
        assertThat(WorkerLineCodec.parse(
                "@@distarch json {\"level\":\"ERROR\",\"message\":\"m\",\"context\":{\"n\":null,\"o\":{\"a\":[1]},\"f\":1.5}}"))
                .isEqualTo(new Log(LogLevel.ERROR, "m", Map.of("n", "", "o", "{\"a\":[1]}", "f", "1.5")));
    }

    @Test
    void jsonContextKeepsItsOrder() {
        Log log = (Log) WorkerLineCodec.parse("@@distarch json {\"message\":\"m\",\"context\":{\"z\":\"1\",\"a\":\"2\",\"m\":\"3\"}}");

        assertThat(log.context().keySet()).containsExactly("z", "a", "m");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "@@distarch",
        "@@distarch ",
        "@@distarchping",
        "@@distarch pong",
        "@@distarch PING",
        "@@distarch ping now",
        "@@distarch ended early",
        "@@distarch stop",
        "@@distarch log",
        "@@distarch log ",
        "@@distarch log  warn two spaces before level",
        "@@distarch log fatal message",
        "@@distarch logwarn message",
        "@@distarch json",
        "@@distarch json ",
        "@@distarch json {",
        "@@distarch json []",
        "@@distarch json \"text\"",
        "@@distarch json 42",
        "@@distarch json null",
        "@@distarch json {} ",
        "@@distarch json {\"level\":\"warn\"}",
        "@@distarch json {\"message\":3}",
        "@@distarch json {\"message\":null}",
        "@@distarch json {\"level\":\"fatal\",\"message\":\"m\"}",
        "@@distarch json {\"level\":2,\"message\":\"m\"}",
        "@@distarch json {\"message\":\"m\",\"context\":[1]}",
        "@@distarch json {\"message\":\"m\",\"context\":\"k=v\"}",
        "@@distarch json {\"message\":\"m\"} trailing",
        "@@distarch json {\"message\":\"m\"}{\"message\":\"n\"}",
        "@@distarch json {'message':'single quotes'}",
        "@@distarch json {\"message\":\"m\",}",
        "@@distarch  ping",
    })
    void malformedControlLinesAreOrdinaryOutput(String line) {
        assertThat(WorkerLineCodec.parse(line)).isEqualTo(new Output(line));
    }

    @Test
    void deeplyNestedJsonIsOutputNotACrash() {
        String line = "@@distarch json {\"message\":\"m\",\"context\":{\"k\":" + "[".repeat(100_000) + "}}";

        assertThat(WorkerLineCodec.parse(line)).isEqualTo(new Output(line));
    }

    @Test
    void encoderChoosesThePlainFormWhenItCan() {
        assertThat(WorkerLineCodec.log(LogLevel.WARN, "disk full", Map.of()))
                .isEqualTo("@@distarch log warn disk full");
        assertThat(WorkerLineCodec.log(LogLevel.INFO, "", null)).isEqualTo("@@distarch log info ");
        assertThat(WorkerLineCodec.log(LogLevel.ERROR, "a\nb", Map.of()))
                .isEqualTo("@@distarch json {\"level\":\"error\",\"message\":\"a\\nb\"}");
        assertThat(WorkerLineCodec.log(LogLevel.ERROR, "a\rb", Map.of())).startsWith("@@distarch json ");
        Map<String, String> context = new LinkedHashMap<>();
        context.put("job", "42");
        context.put("queue", "main");
        assertThat(WorkerLineCodec.log(LogLevel.DEBUG, "done", context))
                .isEqualTo("@@distarch json {\"level\":\"debug\",\"message\":\"done\","
                        + "\"context\":{\"job\":\"42\",\"queue\":\"main\"}}");
    }

    @Test
    void encodedLinesRoundTrip() {
        Map<String, String> context = new LinkedHashMap<>();
        context.put("b", "x\ny");
        context.put("a", "\"quoted\" \\ back\tslash \u0000 \u2028 é 😀");
        for (LogLevel level : LogLevel.values()) {
            for (String message : new String[] {"", " ", "plain", " lead", "trail ", "multi\nline\n", "@@distarch ping",
                    "{\"level\":\"x\"}", "\r", "tab\there", "unicode é 😀 \u0000"}) {
                for (Map<String, String> ctx : java.util.List.of(Map.<String, String>of(), context)) {
                    Log log = new Log(level, message, ctx);
                    String encoded = WorkerLineCodec.log(level, message, ctx);
                    assertThat(encoded).doesNotContain("\n").doesNotContain("\r");
                    assertThat(WorkerLineCodec.parse(encoded)).isEqualTo(log);
                    assertThat(WorkerLineCodec.encode(log)).isEqualTo(encoded);
                }
            }
        }
        assertThat(WorkerLineCodec.parse(WorkerLineCodec.encode(new Ping()))).isEqualTo(new Ping());
        assertThat(WorkerLineCodec.parse(WorkerLineCodec.encode(new Ended()))).isEqualTo(new Ended());
        assertThat(WorkerLineCodec.encode(new Output("as is"))).isEqualTo("as is");
    }

    @Test
    void logRecordsNormalizeNulls() {
        Map<String, String> context = new LinkedHashMap<>();
        context.put("k", null);
        context.put(null, "v");

        assertThat(new Log(LogLevel.INFO, null, context)).isEqualTo(new Log(LogLevel.INFO, "", Map.of("k", "")));
    }

    @Test
    void stopCommandOnStdin() {
        assertThat(WorkerLineCodec.isStopCommand("stop")).isTrue();
        assertThat(WorkerLineCodec.isStopCommand("stop\r")).isTrue();
        assertThat(WorkerLineCodec.isStopCommand(" stop ")).isTrue();
        assertThat(WorkerLineCodec.isStopCommand("STOP")).isFalse();
        assertThat(WorkerLineCodec.isStopCommand("stopped")).isFalse();
        assertThat(WorkerLineCodec.isStopCommand(null)).isFalse();
        assertThat(WorkerLineCodec.STOP_COMMAND).isEqualTo("stop");
        assertThat(WorkerLineCodec.PREFIX).isEqualTo("@@distarch ");
    }
}
