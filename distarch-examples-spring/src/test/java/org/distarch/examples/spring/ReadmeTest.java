package org.distarch.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's Spring Boot section shows this application's code as it is, not a version of it that drifted. */
class ReadmeTest {

    private static final Path ROOT = Path.of("..");
    private static final Path SOURCES = ROOT.resolve("distarch-examples-spring/src/main");

    @Test
    void theReadmeShowsTheExampleAsItIs() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (String file : List.of("GreeterCommand.java", "GivenUpGuard.java")) {
            List<String> lines = Files.readAllLines(SOURCES.resolve("java/org/distarch/examples/spring").resolve(file));
            int start = 0;
            while (!lines.get(start).startsWith("/**") && !lines.get(start).startsWith("@")) {
                start++;
            }
            assertThat(readme).as(file).contains(String.join("\n", lines.subList(start, lines.size())).strip());
        }
        String yaml = Files.readString(SOURCES.resolve("resources/application.yaml"));
        assertThat(readme).contains(yaml.substring(0, yaml.indexOf("\nexample:")).strip());
    }
}
