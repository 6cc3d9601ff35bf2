package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.distarch.config.Yaml.errors;
import static org.distarch.config.Yaml.group;
import static org.distarch.config.Yaml.load;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or unusual YAML: aliases, huge files and lines, special floats, deep nesting, library messages. */
class YamlSafetyTest {

    private static final String PARAMS = "test.yaml: distributed_architecture.groups.G.params";

    private static String withParams(String params) {
        return group("      command: run\n      local: ~\n      params:\n" + params.indent(8));
    }

    /** `b: &b [*a]` then `c: *b` gave `c: []`: the replaying parser lost a nested alias. */
    @Test
    void yamlAliasesResolveExactlyOrAreRefused() {
        Map<String, Object> params = load(withParams("a: &a [x]\nb: &b [*a]\nc: *b\nd: &d {k: *a}\ne: *d\n"))
                .groups().get(0).params();
        assertThat(params.get("a")).isEqualTo(List.of("x"));
        assertThat(params.get("b")).isEqualTo(List.of(List.of("x")));
        assertThat(params.get("c")).isEqualTo(List.of(List.of("x")));
        assertThat(params.get("e")).isEqualTo(Map.of("k", List.of("x")));

        assertThat(errors(withParams("a: &a [x, *a]\n"))).containsExactly(PARAMS + ".a[1]: the alias *a refers to "
                + "the list or map that holds it; YAML here cannot be recursive (line 7, column 19)");
        assertThat(errors(withParams("a: *nowhere\n"))).containsExactly(
                PARAMS + ".a: the alias *nowhere has no anchor &nowhere before it (line 7, column 12)");
    }

    /** A billion-laughs file was "valid": its aliases expanded to nothing. Now refused at the 1 MiB bound. */
    @Test
    void billionLaughsIsRefusedByTheAliasExpansionBound() {
        StringBuilder lol = new StringBuilder("l0: &l0 lol\n");
        for (int level = 1; level <= 9; level++) {
            lol.append("l").append(level).append(": &l").append(level).append(" [");
            for (int i = 0; i < 10; i++) {
                lol.append(i == 0 ? "" : ", ").append("*l").append(level - 1);
            }
            lol.append("]\n");
        }
        assertThat(errors(withParams(lol.toString()))).singleElement().asString()
                .startsWith(PARAMS + ".l6[")
                .contains("makes the aliases expand to more than 1,048,576 characters (1 MiB); write the values out");
    }

    /** Many small alias uses stay under the size bound but are still counted. */
    @Test
    void aliasUsesAreBoundedInNumber() {
        String hundred = "a: &a x\nb: [" + "*a, ".repeat(99) + "*a]\n";
        assertThat(load(withParams(hundred)).groups().get(0).params().get("b")).asList().hasSize(100);
        assertThat(errors(withParams(hundred + "c: *a\n"))).containsExactly(
                PARAMS + ".c: the file uses aliases more than 100 times; write the values out (line 9, column 12)");
    }

    /** A 2 MB one-line scalar took 2.1 s and 817 MB to read; lines are now bounded before parsing. */
    @Test
    void longLinesAreRefusedBeforeParsing(@TempDir Path dir) throws Exception {
        String yaml = withParams("long: " + "x".repeat(2_000_000 - 14) + "\n");
        assertThat(errors(yaml)).containsExactly(
                "test.yaml: line 7 is 2,000,000 characters long; at most 65,536 are allowed");
        assertThat(errors("a: b\r\n\r\n" + "y".repeat(65_537))).containsExactly(
                "test.yaml: line 3 is 65,537 characters long; at most 65,536 are allowed");
        assertThat(load(withParams("ok: " + "z".repeat(60_000) + "\n")).groups().get(0).params().get("ok"))
                .asString().hasSize(60_000);

        Path file = dir.resolve("long.yaml");
        Files.writeString(file, yaml);
        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": line 7 is 2,000,000 characters long; at most 65,536 are allowed");
    }

    /** An 8 MB file took 23.5 s to read; files are now bounded at 4 MiB before they are read whole. */
    @Test
    void hugeFilesAreRefusedBeforeReading(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("huge.yaml");
        byte[] line = ("# " + "-".repeat(1021) + "\n").getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 50 * 1024; i++) {
                out.write(line);
            }
        }
        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": the file is 52,428,800 bytes long; at most 4,194,304 (4 MiB) are allowed");
        assertThat(errors("#\n".repeat(2 * 1024 * 1024 + 1))).containsExactly(
                "test.yaml: the file is 4,194,306 characters long; at most 4,194,304 (4 MiB) are allowed");
    }

    /** `.inf` is a valid YAML 1.1 float but was reported as a syntax error; now it is a value the schema judges. */
    @Test
    void yamlInfinityAndNanAreValuesNotSyntaxErrors() {
        assertThat(errors(group("      command: run\n      timeout: .inf\n      local: ~\n"))).containsExactly(
                "test.yaml: distributed_architecture.groups.G.timeout: must be an integer, or 0 or none to turn it off (got .inf)");
        assertThat(errors(withParams("a: -.Inf\nb: .NaN\nc: 1.5\n"))).containsExactly(
                PARAMS + ".a: must be a finite number (got -.inf); quote it to pass it as a string",
                PARAMS + ".b: must be a finite number (got .nan); quote it to pass it as a string");
        String queue = """
                distributed_architecture:
                  queue_groups:
                    Q:
                      command: work
                      empty_interval: .inf
                      local_feeder: {bind_to: a}
                      consumers: {local: {host: a}}
                """;
        assertThat(errors(queue)).containsExactly(
                "test.yaml: distributed_architecture.queue_groups.Q.empty_interval: must be a number (got .inf)");
        assertThat(load(withParams("s: '.inf'\nt: \".nan\"\n")).groups().get(0).params())
                .containsEntry("s", ".inf").containsEntry("t", ".nan");
    }

    /** Scalars keep the types Jackson's YAML parser gave them before the reader was rewritten. */
    @Test
    void scalarsKeepTheirYaml11Types() {
        Map<String, Object> params = load(withParams("""
                hex: 0x1F
                octal: 012
                underscores: 1_000
                negative: -7
                exp: 1e3
                half: +.5
                yes: yes
                off: off
                tilde: ~
                empty:
                time: 1:30
                version: 1.5.6
                str: !!str 5
                int: !!int "12"
                """)).groups().get(0).params();
        assertThat(params).containsEntry("hex", 31).containsEntry("octal", 10).containsEntry("underscores", 1000)
                .containsEntry("negative", -7).containsEntry("exp", 1000.0).containsEntry("half", 0.5)
                .containsEntry("yes", true).containsEntry("off", false).containsEntry("tilde", null)
                .containsEntry("empty", null).containsEntry("time", "1:30").containsEntry("version", "1.5.6")
                .containsEntry("str", "5").containsEntry("int", 12);
        assertThat(errors(withParams("huge: 99999999999999999999\n"))).containsExactly(PARAMS
                + ".huge: integer too large (got 99999999999999999999); quote it to pass it as a string");
    }

    /** Nesting errors named no place; they now carry the line and column. */
    @Test
    void deepNestingIsRefusedWithLineAndColumn() {
        String deep = "[".repeat(70) + "]".repeat(70);
        ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(
                () -> load(withParams("deep: " + deep + "\n")));
        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(7);
            assertThat(error.column()).isEqualTo(15 + 59); // the 60th "[", at depth 64
        });
        assertThat(e.getMessage()).startsWith("test.yaml:7:74: the YAML is nested more than 64 levels deep (at "
                + "distributed_architecture.groups.G.params.deep" + "[0]".repeat(59) + "); flatten it");
        assertThat(errors("a: " + "[".repeat(60_000) + "\n")).containsExactly("test.yaml:1:67: the YAML is nested "
                + "more than 64 levels deep (at a" + "[0]".repeat(63) + "); flatten it");
    }

    /** Library names (org.yaml..., com.fasterxml..., StreamReadConstraints) leaked into user-facing errors. */
    @Test
    void malformedYamlNeverShowsLibraryNames() {
        List<String> corpus = new ArrayList<>(List.of(
                "*x : 1\n", "? [a]\n: b\n", "? {a: 1}\n: b\n", "a: *b\n", "a: &a [*a]\n", "a: !!binary '%%%'\n",
                "a: !!int x\n", "a: !!float x\n", "a: !!bool maybe\n", "a: !!null x\n", "a: !custom x\n",
                "a: \"unclosed\n", "a: 'unclosed\n", "a: [1, 2\n", "a: {b: 1\n", "a: b: c\n", "- a\nb: c\n",
                "a:\n\t- b\n", "a: \u0000\n", "a: \uFFFE\n", "---\na: 1\n---\nb: 2\n", "%YAML 1.1\n%YAML 1.1\n---\na\n",
                "%FOO\n", "a: &\n", "a: *\n", "a: !<>\n", "&a &b x\n", "a: |\n  b\n c\n", "a: >-\n\tb\n",
                "[" .repeat(5000), "{a: " .repeat(5000), "- ".repeat(5000) + "x\n", "a: " + "9".repeat(5000) + "\n",
                "a: 0x" + "f".repeat(5000) + "\n", "a: " + "1".repeat(2000) + ".5e99999\n", "\uFEFFa: 1\n\uFEFF\n",
                "a: @b\n", "a: `b\n", "a: %b\n", "'a': 1\n'a': 2\n", "a:\n  - b\n  c: d\n", "]\n", "}\n", ",\n",
                "? \n", ": \n", "a: !!map [1]\n", "a: !!seq {b: 1}\n", "<<: *a\n", "a: &a 1\n<<: *a\n"));
        for (String yaml : corpus) {
            List<String> messages = new ArrayList<>();
            try {
                load(yaml);
            } catch (ConfigException e) {
                e.errors().forEach(error -> messages.add(error.format()));
            }
            for (String message : messages) {
                assertThat(message).as("error for %s", yaml.length() > 40 ? yaml.substring(0, 40) : yaml)
                        .doesNotContain("org.", "com.", "snakeyaml", "SnakeYAML", "jackson", "Exception",
                                "StreamReadConstraints", "Event", "\n");
            }
        }
        assertThat(errors("a: b\nc: d\u0000\n")).containsExactly(
                "test.yaml:2:5: YAML syntax error: the character U+0000 is not allowed in YAML; remove it");
    }

    /** Random YAML-ish text is always answered with errors a user can read, never a library exception. */
    @Test
    void randomYamlIsAlwaysAnsweredInPlainWords() {
        Random random = new Random(11);
        String alphabet = "ab:- \n\t[]{},&*!|>'\"#%@?~.0x9\u0085\u2028\u00e9";
        for (int run = 0; run < 3000; run++) {
            StringBuilder yaml = new StringBuilder();
            for (int i = random.nextInt(80); i > 0; i--) {
                yaml.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                load(yaml.toString());
            } catch (ConfigException e) {
                for (ConfigError error : e.errors()) {
                    assertThat(error.format()).as("error for %s", yaml)
                            .doesNotContain("org.", "com.", "snakeyaml", "Exception", "Event", "\n");
                }
            }
        }
    }
}
