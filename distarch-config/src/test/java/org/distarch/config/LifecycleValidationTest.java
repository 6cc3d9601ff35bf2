package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distarch.config.Yaml.errors;
import static org.distarch.config.Yaml.group;
import static org.distarch.config.Yaml.load;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** autostart, restart_strategy, rolling_*, restart_every and restart_cron: values, defaults, and the errors a user reads. */
class LifecycleValidationTest {

    private static final String G = "test.yaml: distributed_architecture.groups.G";

    private static LifecycleSettings lifecycle(String lines) {
        return load(group("      command: run\n      local: ~\n" + lines)).groups().get(0).lifecycle();
    }

    @Test
    void withoutTheKeysAGroupKeepsTodaysBehaviour() {
        assertThat(lifecycle("")).isEqualTo(LifecycleSettings.DEFAULT);
        assertThat(LifecycleSettings.DEFAULT.autostart()).isTrue();
        assertThat(LifecycleSettings.DEFAULT.restartStrategy()).isEqualTo(LifecycleSettings.RestartStrategy.ALL);
        assertThat(LifecycleSettings.DEFAULT.rollingHealthyTime()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void everyKeyIsRead() {
        LifecycleSettings l = lifecycle("""
                      autostart: false
                      restart_strategy: rolling
                      rolling_batch: 2
                      rolling_healthy_time: 1m
                      restart_every: 6h
                """);
        assertThat(l).isEqualTo(new LifecycleSettings(false, LifecycleSettings.RestartStrategy.ROLLING, 2,
                Duration.ofMinutes(1), Duration.ofHours(6), null));
        assertThat(lifecycle("      restart_every: 1h30m\n").restartEvery()).isEqualTo(Duration.ofMinutes(90));
        assertThat(lifecycle("      restart_every: 90\n").restartEvery()).isEqualTo(Duration.ofSeconds(90));
        assertThat(lifecycle("      rolling_healthy_time: 500ms\n").rollingHealthyTime()).isEqualTo(Duration.ofMillis(500));
        assertThat(lifecycle("      autostart: \"false\"\n").autostart()).isFalse();
    }

    @Test
    void aCronExpressionIsParsedAtLoadAndNamesItsNextTime() {
        CronSchedule cron = lifecycle("      restart_cron: \"0 4 * * *\"\n").restartCron();
        assertThat(cron.expression()).isEqualTo("0 4 * * *");
        ZonedDateTime at = ZonedDateTime.of(2026, 11, 28, 10, 15, 0, 0, ZoneOffset.UTC);
        assertThat(cron.next(at)).contains(ZonedDateTime.of(2026, 11, 29, 4, 0, 0, 0, ZoneOffset.UTC));
        assertThat(CronSchedule.parse("*/15 * * * 1-5").next(at))
                .contains(ZonedDateTime.of(2026, 11, 30, 0, 0, 0, 0, ZoneOffset.UTC)); // the 28th is a Saturday
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            autostart: maybe              | autostart: must be true or false (got "maybe")
            autostart: 1                  | autostart: must be true or false (got 1)
            restart_strategy: some        | restart_strategy: must be all or rolling (got "some")
            rolling_batch: 0              | rolling_batch: must be at least 1 (got 0)
            rolling_healthy_time: soon    | rolling_healthy_time: must be a duration such as 10s, 5m, 6h or 1h30m (got "soon")
            restart_every: 6x             | restart_every: must be a duration such as 10s, 5m, 6h or 1h30m (got "6x")
            restart_every: 0              | restart_every: must be a duration such as 10s, 5m, 6h or 1h30m (got "0")
            restart_every: 500ms          | restart_every: must be at least 1s (got 500ms)
            """)
    void wrongValuesNameTheirKey(String line, String expected) {
        assertThat(errors(group("      command: run\n      local: ~\n      " + line + "\n")))
                .containsExactly(G + "." + expected);
    }

    @Test
    void aBadCronExpressionIsAnErrorAtItsKeyPath() {
        assertThat(errors(group("      command: run\n      local: ~\n      restart_cron: \"0 25 * * *\"\n")))
                .singleElement().asString()
                .startsWith(G + ".restart_cron: must be a Unix cron expression of five fields")
                .endsWith("(got \"0 25 * * *\")");
        assertThat(errors(group("      command: run\n      local: ~\n      restart_cron: \"every day\"\n")))
                .singleElement().asString().startsWith(G + ".restart_cron: must be a Unix cron expression");
        assertThat(errors(group("      command: run\n      local: ~\n      restart_cron: \"0 4 * * * *\"\n")))
                .singleElement().asString().startsWith(G + ".restart_cron: must be a Unix cron expression");
    }

    @Test
    void restartEveryAndRestartCronExcludeEachOther() {
        assertThat(errors(group("      command: run\n      local: ~\n      restart_every: 6h\n"
                + "      restart_cron: \"0 4 * * *\"\n")))
                .containsExactly(G + ": has both restart_every and restart_cron: keep only one");
    }

    @Test
    void theReferenceShowsTheNewKeysWithTheirDefaults() {
        assertThat(ConfigReference.render()).contains("autostart:", "true # true or false", "restart_strategy:",
                "rolling_healthy_time:", "10s", "restart_every:", "restart_cron:");
    }
}
