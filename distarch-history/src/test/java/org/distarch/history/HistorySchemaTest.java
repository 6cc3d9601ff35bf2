package org.distarch.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class HistorySchemaTest {

    /** A migration added without its version in MIGRATIONS would leave new databases on Flyway and old ones behind. */
    @Test
    void theKnownVersionsAreThoseOfTheMigrationFilesOfBothDatabases() throws Exception {
        for (String dialect : new String[] {"sqlite", "postgresql"}) {
            URL dir = HistoryStore.class.getResource("/distarch-history/" + dialect);
            assertThat(dir).as(dialect).isNotNull();
            try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
                Set<String> versions = files.map(f -> f.getFileName().toString())
                        .filter(n -> n.matches("V[0-9._]+__.*\\.sql"))
                        .map(n -> n.substring(1, n.indexOf("__")).replace('_', '.'))
                        .collect(Collectors.toSet());
                assertThat(versions).as(dialect).isEqualTo(HistorySchema.MIGRATIONS);
            }
        }
    }
}
