package org.distarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distarch.launch.local.Which;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The systemd units of docs/service.md are valid for systemd ({@code systemd-analyze verify}, which
 * works without systemd running; skipped where it is not installed), appear in the doc verbatim, and
 * keep the settings the doc explains.
 */
class SystemdUnitsTest {

    private static final Path DOCS = Path.of("..", "docs");

    @ParameterizedTest
    @ValueSource(strings = {"distarch.service", "distarch-service.service"})
    void systemdAcceptsTheUnitWithoutAnyWarning(String name) throws Exception {
        Assumptions.assumeTrue(Which.find("systemd-analyze") != null, "systemd-analyze is not installed");
        Path unit = DOCS.resolve("systemd").resolve(name).toAbsolutePath().normalize();
        Process verify = new ProcessBuilder("systemd-analyze", "verify", "--man=no", unit.toString())
                .redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).as("warnings about the unit").doesNotContain(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"distarch.service", "distarch-service.service"})
    void theUnitIsInServiceMdVerbatimAndKeepsWhatTheDocExplains(String name) throws Exception {
        String unit = Files.readString(DOCS.resolve("systemd").resolve(name));
        assertThat(Files.readString(DOCS.resolve("service.md"))).contains(unit);
        List<String> lines = unit.lines().toList();
        assertThat(lines).contains("KillMode=mixed", "Restart=on-failure");
        String exec = lines.stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        long timeout = Long.parseLong(option(exec, "--timeout"));
        long stopSec = Long.parseLong(value(lines, "TimeoutStopSec"));
        assertThat(stopSec).as("TimeoutStopSec above the master's --timeout").isGreaterThan(timeout);
        if (exec.contains("--service")) {
            assertThat(lines).contains("Type=forking");
            assertThat(value(lines, "PIDFile")).isEqualTo(option(exec, "--pid"));
            assertThat(Long.parseLong(value(lines, "TimeoutStartSec")))
                    .isGreaterThan(ServiceLauncher.START_LIMIT.toSeconds());
        } else {
            assertThat(lines).contains("Type=simple");
        }
    }

    private static String value(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("no " + key));
    }

    private static String option(String exec, String name) {
        Matcher m = Pattern.compile(" " + Pattern.quote(name) + " (\\S+)").matcher(exec);
        assertThat(m.find()).as("%s in %s", name, exec).isTrue();
        return m.group(1);
    }
}
