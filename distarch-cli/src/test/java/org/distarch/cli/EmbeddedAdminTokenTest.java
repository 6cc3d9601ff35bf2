package org.distarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.distarch.config.ConfigLoader;
import org.distarch.config.DistarchConfig;
import org.junit.jupiter.api.Test;

/**
 * An embedded master without admin users has no pid file to put its access token beside: it writes it to a private
 * file, names that file in its log (never the token), and removes it with the fleet.
 */
class EmbeddedAdminTokenTest {

    @Test
    void theLogNamesAPrivateTokenFileThatLogsInAndGoesWithTheFleet() throws Exception {
        DistarchConfig config = ConfigLoader.parse("""
                distributed_architecture:
                  groups:
                    Idle:
                      command: idle
                      autostart: false
                      local: {instances_count: 1}
                """, "embedded.yaml");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = System.out;
        EmbeddedMaster master;
        System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            master = EmbeddedMaster.builder(config, EmbeddedAdminTokenTest.class)
                    .options(Duration.ZERO, 10, Duration.ofSeconds(5), true).adminServer("127.0.0.1", 0).start();
        } finally {
            System.setOut(out);
        }
        Path tokenFile;
        String token;
        try {
            String line = awaitLine(log, "Admin page");
            assertThat(line).contains("its access token is in ");
            tokenFile = Path.of(line.replaceAll(".*its access token is in (\\S+) .*", "$1"));
            token = Files.readString(tokenFile).trim();
            assertThat(token).hasSizeGreaterThan(20);
            assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain(token);
            assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(tokenFile.getParent()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));

            String url = master.adminUrl().orElseThrow();
            HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url
                    + "login?token=" + token)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
        } finally {
            master.close();
        }
        assertThat(tokenFile).doesNotExist();
        assertThat(tokenFile.getParent()).doesNotExist();
    }

    /** The master's log is written by a thread of its own: its line arrives a moment after the start. */
    private static String awaitLine(ByteArrayOutputStream log, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var line = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line with \"" + text + "\" in " + log);
    }
}
