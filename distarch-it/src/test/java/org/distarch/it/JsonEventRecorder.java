package org.distarch.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.distarch.event.DistarchEvent;
import org.distarch.event.DistarchListener;
import org.distarch.event.EventCodec;

/**
 * Writes every event whole, as {@link EventCodec#encode} gives it, one JSON object a line, to the file named by
 * {@code DISTARCH_TEST_EVENTS_JSON}: for tests that check payloads ({@link EventRecorder}'s short line format
 * stays as other tests parse it). As there, the file is opened on the first event, so worker processes (which
 * inherit the environment but hear no event) never touch it.
 */
final class JsonEventRecorder implements DistarchListener {

    private final Path file;
    private Writer out;

    JsonEventRecorder(Path file) {
        this.file = file;
    }

    @Override
    public int queueCapacity() {
        return 1 << 20;
    }

    @Override
    public void onEvent(DistarchEvent event) {
        try {
            if (out == null) {
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            }
            out.write(EventCodec.encode(event).replace('\n', ' ') + "\n");
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
