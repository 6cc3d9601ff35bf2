package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distarch.config.Yaml.errors;
import static org.distarch.config.Yaml.group;
import static org.distarch.config.Yaml.queueGroup;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The per-group keys that daemons need (autorestart, exit_codes, stop_signal, environment, user, umask) and
 * {@code timeout: 0 | none}: what they give, and the exact line a user reads for each mistake.
 */
class RunOptionsValidationTest {

    private static final String G = "test.yaml: distributed_architecture.groups.G";

    private static DistarchConfig load(String yaml, Map<String, String> env) {
        return ConfigLoader.parse(yaml, "test.yaml", env::get);
    }

    private static GroupConfig loadGroup(String lines) {
        return load(group("      command: run\n      local: ~\n" + lines), Map.of()).groups().get(0);
    }

    @Test
    void defaultsAreTodaysBehaviour() {
        RunOptions run = loadGroup("").run();
        assertThat(run).isEqualTo(RunOptions.DEFAULT);
        assertThat(run.autorestart()).isEqualTo(Autorestart.ON_FAILURE);
        assertThat(run.exitCodes()).containsExactly(0);
        assertThat(run.stopSignal()).isEqualTo(StopSignal.TERM);
        assertThat(run.environment()).isEmpty();
        assertThat(run.user()).isNull();
        assertThat(run.umask()).isNull();
    }

    @Test
    void everyKeyIsRead() {
        RunOptions run = loadGroup("""
                      autorestart: never
                      exit_codes: [0, 2]
                      stop_signal: SIGINT
                      environment: {APP_MODE: production, WORKERS: 4, DEBUG: false}
                      user: www-data
                      umask: "027"
                """).run();
        assertThat(run.autorestart()).isEqualTo(Autorestart.NEVER);
        assertThat(run.exitCodes()).containsExactlyInAnyOrder(0, 2);
        assertThat(run.stopSignal()).isEqualTo(StopSignal.INT);
        assertThat(run.environment()).containsExactlyInAnyOrderEntriesOf(
                Map.of("APP_MODE", "production", "WORKERS", "4", "DEBUG", "false"));
        assertThat(run.user()).isEqualTo("www-data");
        assertThat(run.umask()).isEqualTo(027);
        assertThat(run.umaskText()).isEqualTo("0027");
    }

    @Test
    void queueGroupsTakeThemToo() {
        String yaml = queueGroup("""
                      command: work
                      autorestart: always
                      stop_signal: QUIT
                      local_feeder: {port: 7000}
                      consumers: {local: ~}
                """);
        RunOptions run = load(yaml, Map.of()).queueGroups().get(0).run();
        assertThat(run.autorestart()).isEqualTo(Autorestart.ALWAYS);
        assertThat(run.stopSignal()).isEqualTo(StopSignal.QUIT);
    }

    @Test
    void timeoutZeroOrNoneTurnsTheWatchdogOff() {
        assertThat(loadGroup("      timeout: 0\n").settings().timeoutSeconds()).isZero();
        assertThat(loadGroup("      timeout: none\n").settings().timeoutSeconds()).isZero();
        assertThat(loadGroup("      timeout: \"0\"\n").settings().timeoutSeconds()).isZero();
        assertThat(loadGroup("      timeout: 60\n").settings().timeoutSeconds()).isEqualTo(60);
        GroupConfig entry = load(group("      command: run\n      local: {timeout: none}\n"), Map.of()).groups().get(0);
        assertThat(entry.local().settings().timeoutSeconds()).isZero();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            autorestart: sometimes        | autorestart: must be always, on-failure or never (got "sometimes")
            autorestart: on-fialure       | autorestart: must be always, on-failure or never (got "on-fialure"; did you mean "on-failure"?)
            exit_codes: []                | exit_codes: must list at least one exit code
            exit_codes: [0, 256]          | exit_codes[1]: must be an exit code, 0 to 255 (got 256)
            exit_codes: [0, x]            | exit_codes[1]: must be an exit code, 0 to 255 (got "x")
            exit_codes: {a: 1}            | exit_codes: must be a list of exit codes such as [0, 2] (got a map)
            stop_signal: KILL             | stop_signal: must be TERM, INT, QUIT, HUP, USR1 or USR2 (got "KILL")
            stop_signal: SIGSTOP          | stop_signal: must be TERM, INT, QUIT, HUP, USR1 or USR2 (got "SIGSTOP")
            umask: 027                    | umask: must be an octal string in quotes, such as "027" (got 23; YAML reads an unquoted 027 as the number 23)
            umask: "089"                  | umask: must be an octal string such as "027" (got "089")
            umask: "00777"                | umask: must be an octal string such as "027" (got "00777")
            umask: rwx                    | umask: must be an octal string such as "027" (got "rwx")
            user: "bad user"              | user: must be a user name such as www-data (got "bad user")
            environment: [A]              | environment: must be a map of NAME: value (got a list)
            environment: {1A: x}          | environment."1A": must be an environment variable name: letters, digits and _, not starting with a digit
            environment: {DA_ID: "7"}     | environment.DA_ID: DA_ variables are the master's own (they tell a worker who it is): choose another name
            environment: {A: ~}           | environment.A: must have a value (write "" for an empty one)
            environment: {A: [secret]}    | environment.A: must be a single value, not a list
            timeout: 3                    | timeout: must be at least 5, or 0 or none to turn it off (got 3)
            timeout: never                | timeout: must be an integer, or 0 or none to turn it off (got "never")
            """)
    void mistakesAreNamedWithTheirKeyPath(String line, String expected) {
        assertThat(errors(group("      command: run\n      local: ~\n      " + line + "\n")))
                .containsExactly(G + "." + expected);
    }

    @Test
    void environmentValuesAreSubstitutedAndAMissingVariableIsNamed() {
        String yaml = group("      command: run\n      local: ~\n      environment: {TOKEN: \"${API_TOKEN}\", "
                + "MODE: \"${APP_MODE:-dev}\"}\n");
        RunOptions run = load(yaml, Map.of("API_TOKEN", "s3cr3t")).groups().get(0).run();
        assertThat(run.environment()).containsExactlyInAnyOrderEntriesOf(Map.of("TOKEN", "s3cr3t", "MODE", "dev"));
        assertThat(errors(yaml)).containsExactly(G + ".environment.TOKEN: environment variable API_TOKEN is not set "
                + "(set it, or give a default: ${API_TOKEN:-default})");
    }

    @Test
    void environmentValuesNeverShowInTheRecordsText() {
        String yaml = group("      command: run\n      local: ~\n      environment: {TOKEN: \"${API_TOKEN}\"}\n");
        GroupConfig g = load(yaml, Map.of("API_TOKEN", "s3cr3t-value")).groups().get(0);
        assertThat(g.toString()).contains("TOKEN").doesNotContain("s3cr3t-value");
    }

    @Test
    void aValueThatIsNotAScalarIsReportedWithoutItsText() {
        List<String> errors = errors(group("      command: run\n      local: ~\n"
                + "      environment: {PASSWORD: {nested: hunter2}}\n"));
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).doesNotContain("hunter2");
    }

    @Test
    void exitCodesMayBeASingleNumber() {
        assertThat(loadGroup("      exit_codes: 3\n").run().exitCodes()).isEqualTo(Set.of(3));
    }
}
