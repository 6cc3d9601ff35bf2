package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real master's HTTP API with real processes: on by default (here on an auto port), its URL and its 0600 token
 * beside the pid file, the token file named in the log (never the token), admin:login-url printing the login link,
 * and the control commands steering it with --url.
 */
@ExtendWith(NoStrayProcesses.class)
class HttpApiIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String YAML = "distributed_architecture:\n  groups:\n"
            + "    A:\n      command: test:scripted\n      stop_timeout: 2\n"
            + "      params: {script: [\"work 600\"]}\n      local: {instances_count: 2}\n";

    @TempDir
    Path dir;

    @Test
    void theMasterServesItsApiAndTheCliSteersItOverHttp() throws Exception {
        Path pid = dir.resolve("var/log/distributed_architecture.pid");
        try (MasterRun run = MasterRun.start(dir, YAML)) {
            String line = run.awaitLine(l -> l.contains("HTTP API at http://127.0.0.1:"), LIMIT);
            Path urlFile = pid.resolveSibling("distributed_architecture.admin-url");
            Path tokenFile = pid.resolveSibling("distributed_architecture.admin-token");
            String url = Files.readString(urlFile).trim();
            String token = Files.readString(tokenFile).trim();
            assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            // The token is a secret: the log only says where it is, and the CLI prints the link on request.
            assertThat(line).contains("its access token is in " + tokenFile.toRealPath(), "distarch admin:login-url")
                    .doesNotContain(token);
            assertThat(url).doesNotEndWith(":8642/");
            Cli link = Cli.run(dir, "admin:login-url");
            assertThat(link.exit()).as(link.err()).isZero();
            assertThat(link.out().trim()).isEqualTo(url + "login?token=" + token);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> loggedIn = http.send(HttpRequest.newBuilder(URI.create(link.out().trim())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(loggedIn.statusCode()).isEqualTo(303);
            assertThat(loggedIn.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c)
                    .startsWith("distarch_session="));
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(url + "api/v1/processes"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            JsonNode processes = awaitRunning(http, url, token, 2);
            assertThat(processes.path("items").get(0).path("command").asText()).isEqualTo("test:scripted");

            Map<String, String> env = Map.of("DISTARCH_TOKEN", token);
            Cli status = Cli.run(dir, env, "status", "--url", url);
            assertThat(status.exit()).as(status.err()).isZero();
            assertThat(status.out()).containsPattern("(?m)^1\\s+A\\s+localhost\\s+test:scripted/1/1\\s+RUNNING");
            Cli suspend = Cli.run(dir, env, "suspend", "A", "--url", url);
            assertThat(suspend.exit()).as(suspend.err()).isZero();
            assertThat(suspend.out()).contains("Suspended group \"A\": 2 processes asked to stop");
            Cli unknown = Cli.run(dir, env, "resume", "Z", "--url", url);
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err()).contains("No group named \"Z\"");
            Cli noToken = Cli.run(dir, "status", "--url", url);
            assertThat(noToken.exit()).isEqualTo(1);
            assertThat(noToken.err()).contains("answered 401").contains("set DISTARCH_TOKEN");
            Cli plan = Cli.run(dir, env, "reload", "--dry-run", "--url", url);
            assertThat(plan.exit()).as(plan.err()).isZero();
            assertThat(plan.out()).contains("would make no change");
            run.awaitLine(l -> l.contains("Admin API: access-token (admin) from 127.0.0.1: suspend group \"A\": done"),
                    LIMIT);

            Cli stop = Cli.run(dir, env, "stop", "--url", url);
            assertThat(stop.exit()).as(stop.err()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(urlFile).doesNotExist();
            assertThat(tokenFile).doesNotExist();
            assertThat(run.lines()).noneMatch(l -> l.contains(token));
            Cli gone = Cli.run(dir, "admin:login-url");
            assertThat(gone.exit()).isEqualTo(2);
            assertThat(gone.err()).contains("no master running at");
        }
    }

    @Test
    void aTakenPortStopsTheStartWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                MasterRun run = MasterRun.start(dir, YAML, "--admin-port", Integer.toString(taken.getLocalPort()))) {
            assertThat(run.awaitExit(LIMIT)).isEqualTo(2);
            List<String> errors = run.errorLines();
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0)).startsWith("cannot serve the admin API on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void portZeroTurnsTheApiOff() throws Exception {
        try (MasterRun run = MasterRun.start(dir, YAML, "--admin-port", "0", "--max-running-time", "3")) {
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(run.lines()).noneMatch(l -> l.contains("HTTP API"));
            assertThat(dir.resolve("var/log/distributed_architecture.admin-url")).doesNotExist();
        }
    }

    private static JsonNode awaitRunning(HttpClient http, String url, String token, int count) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonNode page = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url
                    + "api/v1/processes?state=RUNNING")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            page = JSON.readTree(r.body());
            if (page.path("total").asInt() == count) {
                return page;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not " + count + " running within " + LIMIT + ": " + page);
    }
}
