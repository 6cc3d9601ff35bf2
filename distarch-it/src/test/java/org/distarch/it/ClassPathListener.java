package org.distarch.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.distarch.event.DistarchListener;
import org.distarch.event.MasterEvent;

/**
 * A listener nobody registers in code: it is listed in META-INF/services, so the master finds it on the
 * class path. It notes the master's start and stop in the file named by DISTARCH_TEST_SPI_EVENTS.
 */
public final class ClassPathListener implements DistarchListener {

    @Override
    public void onMasterStarted(MasterEvent.Started event) {
        note("started " + event.processCount());
    }

    @Override
    public void onMasterStopped(MasterEvent.Stopped event) {
        note("stopped " + event.exitCode());
    }

    private static void note(String text) {
        String file = System.getenv("DISTARCH_TEST_SPI_EVENTS");
        if (file == null) {
            return;
        }
        try {
            Files.writeString(Path.of(file), text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
