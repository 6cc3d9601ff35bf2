package org.distarch.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's download as an operator uses it: the tar.gz just built, unpacked into a temporary folder,
 * run from another directory with nothing but Java (no Maven, no repository): its version, the example
 * configuration validated, and a short run of the example fleet of shell workers.
 */
class DistributionIT {

    private static final String VERSION = System.getProperty("distarch.version");

    @TempDir
    static Path root;

    static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("distarch.dist"));
        Result untar = run(root, List.of("tar", "-xzf", archive.toString(), "-C", root.toString()));
        assertThat(untar.exit).as(untar.output).isZero();
        home = root.resolve("distarch-" + VERSION);
    }

    @Test
    void holdsTheLauncherTheLibrariesTheExampleTheUnitsAndTheDocs() throws IOException {
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/distarch"))).contains(PosixFilePermission.OWNER_EXECUTE);
        try (var jars = Files.list(home.resolve("lib"))) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                    .contains("distarch-cli-" + VERSION + ".jar", "distarch-core-" + VERSION + ".jar", "picocli-4.7.7.jar");
        }
        assertThat(home.resolve("config/packages/distributed_architecture.yaml")).isRegularFile();
        assertThat(home.resolve("systemd/distarch.service")).isRegularFile();
        assertThat(home.resolve("docs/configuration.md")).isRegularFile();
        assertThat(home.resolve("README.md")).isRegularFile();
    }

    @Test
    void theZipHoldsTheSame() throws IOException {
        try (ZipFile zip = new ZipFile(System.getProperty("distarch.dist.zip"))) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("distarch-" + VERSION + "/bin/distarch",
                    "distarch-" + VERSION + "/lib/distarch-cli-" + VERSION + ".jar",
                    "distarch-" + VERSION + "/config/packages/distributed_architecture.yaml");
        }
    }

    @Test
    void versionPrintsTheVersionAndTheCommit() throws Exception {
        Result r = distarch("--version");
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output.strip()).matches("distarch " + VERSION.replace(".", "\\.") + " \\(commit ([0-9a-f]{12}|unknown)\\)");
    }

    @Test
    void validatesTheExampleConfigurationFromAnotherDirectory() throws Exception {
        Result r = distarch("config:validate", "--config", example());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains(example() + ": valid (1 groups");
    }

    @Test
    void runsTheExampleFleetOfShellWorkersAndStopsAfterMaxRunningTime() throws Exception {
        Result r = distarch("run-master", "--config", example(), "--max-running-time", "4", "--pid",
                root.resolve("run/master.pid").toString());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("[Hello] [localhost] [" + home + "/examples/workers/hello.sh/1/1] worker 1 (1 of 2) "
                + "of group Hello started, params {\"greeting\":\"hello\"}");
        assertThat(r.output).contains("worker 2: round 1", "worker 1: asked to stop, bye");
        assertThat(root.resolve("run/master.pid")).doesNotExist();
    }

    private static String example() {
        return home.resolve("config/packages/distributed_architecture.yaml").toString();
    }

    /** bin/distarch, reached from another directory and with no Maven on the PATH. */
    private static Result distarch(String... args) throws Exception {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/distarch").toString()));
        command.addAll(List.of(args));
        return run(elsewhere, command);
    }

    private record Result(int exit, String output) {}

    private static Result run(Path dir, List<String> command) throws Exception {
        Path out = Files.createTempFile(root, "out", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
        builder.environment().put("PATH", javaBin + ":/usr/bin:/bin");
        builder.environment().remove("JAVA_HOME");
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("no exit within 120 s: " + command + "\n" + Files.readString(out));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
