package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/getting-started.md, followed to the letter: every file it shows ({@code <!-- file: PATH -->} before a
 * code block) is written into an empty folder, and the lines of its {@code <!-- run -->} block are run there:
 * a real Maven build of the new application against the distarch artifacts of this build, then its
 * {@code config:validate} and its master with two workers.
 *
 * <p>The build uses a local repository of its own in a temporary folder, holding this build's distarch
 * artifacts (copied as {@code mvn install} lays them out); every other library and plugin comes from the
 * developer's {@code ~/.m2/repository}, read as a {@code file:} repository, in offline mode: no network, and
 * nothing of the developer's own repository is changed. Those settings are the one file the test adds to the
 * guide's: {@code .mvn/maven.config}.
 */
@ExtendWith(NoStrayProcesses.class)
class GettingStartedIT {

    private static final Path ROOT = Path.of(System.getProperty("distarch.root", "..")).toAbsolutePath().normalize();
    private static final String BUILD_DIR = System.getProperty("distarch.build.dir", "target");
    private static final String VERSION = System.getProperty("distarch.version");
    private static final List<String> MODULES = List.of("distarch-config", "distarch-worker", "distarch-core",
            "distarch-remote", "distarch-queue", "distarch-history", "distarch-metrics", "distarch-admin",
            "distarch-cli");
    private static final Pattern FILE = Pattern.compile("<!-- file: (\\S+) -->\\n```\\w*\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern RUN = Pattern.compile("<!-- run -->\\n```\\w*\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path temp;

    @Test
    void theApplicationOfTheGuideBuildsAndRunsItsMaster() throws Exception {
        String guide = Files.readString(ROOT.resolve("docs/getting-started.md"), StandardCharsets.UTF_8);
        Path app = Files.createDirectories(temp.resolve("hello-fleet"));
        Map<String, String> files = new LinkedHashMap<>();
        Matcher m = FILE.matcher(guide);
        while (m.find()) {
            files.put(m.group(1), m.group(2));
        }
        assertThat(files).containsOnlyKeys("pom.xml", "src/main/java/com/example/MyApp.java",
                "src/main/java/com/example/HelloCommand.java", "config/packages/distributed_architecture.yaml");
        assertThat(files.get("pom.xml")).as("the guide shows the version being built")
                .contains("<version>" + VERSION + "</version>");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = app.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
        }
        Matcher run = RUN.matcher(guide);
        assertThat(run.find()).as("the guide's run block").isTrue();
        List<String> lines = run.group(1).lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(3);

        Map<String, String> env = Map.of();
        configureMaven(app);
        Result build = sh(app, lines.get(0), env, 300);
        assertThat(build.exit).as(build.output).isZero();
        assertThat(app.resolve("target/lib/distarch-cli-" + VERSION + ".jar")).isRegularFile();

        Result validate = sh(app, lines.get(1), env, 60);
        assertThat(validate.exit).as(validate.output).isZero();
        assertThat(validate.output).contains("config/packages/distributed_architecture.yaml: valid (1 groups");

        Result master = sh(app, lines.get(2), env, 120);
        assertThat(master.exit).as(master.output).isZero();
        assertThat(master.output).contains(
                "[Hello] [localhost] [app:hello/1/1] Hello from worker 1 of 2, round 1",
                "[Hello] [localhost] [app:hello/2/2] Hello from worker 2 of 2, round 1",
                "[master] Stopped");
    }

    /**
     * Maven with a local repository of its own, seeded with this build's artifacts; offline but for file: URLs.
     * Given in {@code .mvn/maven.config}, which Maven reads from the project's folder, so that the guide's own
     * {@code mvn} line runs unchanged.
     */
    private void configureMaven(Path app) throws IOException {
        Path repository = temp.resolve("repository");
        install(ROOT.resolve("pom.xml"), null, "distarch-parent", repository);
        install(ROOT.resolve("distarch-bom/pom.xml"), null, "distarch-bom", repository);
        for (String module : MODULES) {
            Path jar = ROOT.resolve(module).resolve(BUILD_DIR).resolve(module + "-" + VERSION + ".jar");
            assertThat(jar).as("built by this build before the integration tests").isRegularFile();
            install(ROOT.resolve(module).resolve("pom.xml"), jar, module, repository);
        }
        String userRepository = Path.of(System.getProperty("user.home"), ".m2", "repository").toUri().toString();
        Path settings = temp.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <localRepository>%s</localRepository>
                  <offline>true</offline>
                  <profiles>
                    <profile>
                      <id>user-repository</id>
                      <repositories>
                        <repository><id>user-m2</id><url>%s</url><snapshots><enabled>false</enabled></snapshots></repository>
                      </repositories>
                      <pluginRepositories>
                        <pluginRepository><id>user-m2</id><url>%s</url><snapshots><enabled>false</enabled></snapshots></pluginRepository>
                      </pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>user-repository</activeProfile></activeProfiles>
                </settings>
                """.formatted(repository, userRepository, userRepository));
        Files.createDirectories(app.resolve(".mvn"));
        Files.writeString(app.resolve(".mvn/maven.config"), "-s\n" + settings + "\n-Daether.offline.protocols=file\n");
    }

    /** What {@code mvn install} leaves: {@code groupId/artifactId/version/artifactId-version.pom} (and .jar). */
    private static void install(Path pom, Path jar, String artifactId, Path repository) throws IOException {
        Path dir = Files.createDirectories(repository.resolve("org/distarch").resolve(artifactId).resolve(VERSION));
        Files.copy(pom, dir.resolve(artifactId + "-" + VERSION + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifactId + "-" + VERSION + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private record Result(int exit, String output) {}

    private Result sh(Path dir, String line, Map<String, String> env, int seconds) throws Exception {
        Path out = Files.createTempFile(temp, "out", ".txt");
        List<String> command = new ArrayList<>(List.of("sh", "-c", line));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().putAll(env);
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("no exit within " + seconds + " s: " + line + "\n" + Files.readString(out));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
