package org.distarch.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.distarch.event.DistarchEvent;
import org.distarch.event.DistarchListener;
import org.distarch.event.ProcessEvent;
import org.distarch.event.QueueEvent;

/**
 * Writes every event as one line "name id outcome" (queue events: "name id host itemId attempt [error]") to a file, so that tests can read what listeners hear.
 * The file is opened on the first event: worker processes (which run the same main and inherit the
 * environment) never receive one, so they never touch it.
 */
final class EventRecorder implements DistarchListener {

    private final Path file;
    private Writer out;

    EventRecorder(Path file) {
        this.file = file;
    }

    /** The tests count every event, bursts of 100,000 queue events included. */
    @Override
    public int queueCapacity() {
        return 1 << 20;
    }

    @Override
    public void onEvent(DistarchEvent event) {
        StringBuilder line = new StringBuilder(event.name());
        if (event instanceof QueueEvent q) {
            line.append(' ').append(q.process().id()).append(' ').append(q.process().host());
            if (q instanceof QueueEvent.ItemReceived r) {
                line.append(' ').append(r.itemId()).append(' ').append(r.attempt());
            } else if (q instanceof QueueEvent.ItemHandled h) {
                line.append(' ').append(h.itemId()).append(' ').append(h.attempt());
            } else if (q instanceof QueueEvent.ItemFailed f) {
                line.append(' ').append(f.itemId()).append(' ').append(f.attempt()).append(' ').append(f.error());
            }
        }
        if (event instanceof ProcessEvent p) {
            line.append(' ').append(p.process().id());
            if (p instanceof ProcessEvent.Stopped s) {
                line.append(' ').append(s.outcome());
                if (s.exit() != null) {
                    line.append(' ').append(s.exit().code());
                }
            }
        }
        try {
            if (out == null) {
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            }
            out.write(line.append('\n').toString());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
