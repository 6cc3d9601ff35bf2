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
 * configuration validated, a short run of the example fleet of shell workers, and the class data archive its
 * first start prepares.
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
        // The first start prepares the class data archive and says so; the tests below see the later starts.
        Result first = distarch("--version");
        assertThat(first.exit).as(first.output).isZero();
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
        assertThat(r.output.strip()).matches("distarch " + VERSION.replace(".", "\\.") + " \\(commit ([0-9a-f]{12}(, with changes not committed)?|unknown)\\)");
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

    /**
     * The first start of an unpacked distribution prepares the class data archive in lib/ (saying so on stderr);
     * later starts map it and print nothing about it; new jars get a new archive.
     */
    @Test
    void theFirstStartPreparesTheClassDataArchiveLaterStartsMapItAndNewJarsGetANewOne() throws Exception {
        Path fresh = unpackInto(Files.createTempDirectory(root, "cds"));
        Result first = run(fresh, List.of(fresh.resolve("bin/distarch").toString(), "--version"));
        assertThat(first.exit).as(first.output).isZero();
        assertThat(first.output).contains("distarch: preparing the class data archive " + fresh.resolve("lib/distarch-"));
        List<Path> archives = archives(fresh);
        assertThat(archives).hasSize(1);

        Result second = run(fresh, List.of(fresh.resolve("bin/distarch").toString(), "--version"));
        assertThat(second.exit).as(second.output).isZero();
        assertThat(second.output.strip()).as("nothing but the version: no training, no CDS warning")
                .startsWith("distarch " + VERSION).hasLineCount(1);

        ProcessBuilder run = new ProcessBuilder(fresh.resolve("bin/distarch").toString(), "run-master", "--config",
                example(fresh), "--max-running-time", "30", "--pid", fresh.resolve("run/master.pid").toString())
                .redirectErrorStream(true).redirectOutput(fresh.resolve("master.log").toFile());
        run.environment().put("DISTARCH_ADMIN_PORT", "auto");
        Process master = run.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(fresh.resolve("master.log")).contains("worker 2: round 1")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(fresh.resolve("master.log"))).contains("worker 2: round 1")
                    .doesNotContain("[cds", "shared archive");
            assertThat(Files.readString(Path.of("/proc/" + master.pid() + "/maps")))
                    .as("the master (the launcher exec's its JVM) maps the archive").contains(archives.get(0).toString());
        } finally {
            master.toHandle().destroy();
            assertThat(master.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        Path jar = fresh.resolve("lib/distarch-core-" + VERSION + ".jar");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Result rebuilt = run(fresh, List.of(fresh.resolve("bin/distarch").toString(), "--version"));
        assertThat(rebuilt.exit).as(rebuilt.output).isZero();
        assertThat(rebuilt.output).contains("distarch: preparing the class data archive");
        assertThat(archives(fresh)).as("the new one, and the old one for a while (the three newest stay)")
                .hasSize(2).contains(archives.get(0));
    }

    @Test
    void distarchClassDataOffLeavesTheArchiveOut() throws Exception {
        Path fresh = unpackInto(Files.createTempDirectory(root, "nocds"));
        ProcessBuilder builder = new ProcessBuilder(fresh.resolve("bin/distarch").toString(), "--version");
        builder.environment().put("DISTARCH_CLASS_DATA", "off");
        Process p = builder.redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        assertThat(output.strip()).startsWith("distarch " + VERSION).hasLineCount(1);
        assertThat(archives(fresh)).isEmpty();
    }

    /** A training run that cannot run (here: no temporary folder) is said once, marked, and never holds a start up. */
    @Test
    void aTrainingRunThatFailsIsSaidOnceAndTheStartsGoOnWithoutAnArchive() throws Exception {
        Path fresh = unpackInto(Files.createTempDirectory(root, "failed"));
        for (int i = 0; i < 2; i++) {
            ProcessBuilder builder = new ProcessBuilder(fresh.resolve("bin/distarch").toString(), "--version");
            builder.environment().put("TMPDIR", fresh.resolve("no-such-folder").toString());
            Process p = builder.redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(output).isZero();
            assertThat(output).contains("distarch " + VERSION);
            if (i == 0) {
                assertThat(output).contains("distarch: no class data archive (the training run failed; remove "
                        + fresh.resolve("lib/distarch-"), ".failed to try again, DISTARCH_CLASS_DATA=off to stop trying)");
            } else {
                assertThat(output.strip()).as("the mark keeps it from trying again").hasLineCount(1);
            }
        }
        assertThat(archives(fresh)).isEmpty();
        try (var files = Files.list(fresh.resolve("lib"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> !n.endsWith(".jar")))
                    .hasSize(2).contains("class-data.sh").anyMatch(n -> n.matches("distarch-\\d+\\.failed"));
        }
    }

    private static Path unpackInto(Path dir) throws Exception {
        Result untar = run(dir, List.of("tar", "-xzf", System.getProperty("distarch.dist"), "-C", dir.toString()));
        assertThat(untar.exit).as(untar.output).isZero();
        return dir.resolve("distarch-" + VERSION);
    }

    private static List<Path> archives(Path distribution) throws IOException {
        try (var files = Files.list(distribution.resolve("lib"))) {
            return files.filter(f -> f.getFileName().toString().matches("distarch-\\d+\\.jsa")).toList();
        }
    }

    private static String example(Path distribution) {
        return distribution.resolve("config/packages/distributed_architecture.yaml").toString();
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
