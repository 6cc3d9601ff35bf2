package org.distarch.examples.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/** An ordinary application service: it composes greetings and keeps a journal of them (a file). */
@Service
public class Greetings {

    private final String greeting;
    private final Path journal;

    public Greetings(@Value("${example.greeting:Hello}") String greeting,
            @Value("${example.journal:var/journal.txt}") String journal) {
        this.greeting = greeting;
        this.journal = Path.of(journal);
    }

    public String greet(String name) {
        return greeting + ", " + name + "!";
    }

    /** Appends one line to the journal (one write per line: processes may append at once). */
    public void record(String line) {
        try {
            if (journal.getParent() != null) {
                Files.createDirectories(journal.getParent());
            }
            Files.write(journal, (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
