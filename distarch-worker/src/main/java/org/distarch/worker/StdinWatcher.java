package org.distarch.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.distarch.worker.protocol.WorkerLineCodec;

/**
 * Reads the master's lines on the worker's stdin, on a daemon thread: {@code stop} asks the
 * worker to stop; end of stream (or a read error) means the master is gone. Other lines are
 * reserved and ignored.
 */
final class StdinWatcher implements Runnable {

    interface Listener {
        void stopAsked();

        void masterGone();
    }

    private final InputStream stdin;
    private final Listener listener;

    private StdinWatcher(InputStream stdin, Listener listener) {
        this.stdin = stdin;
        this.listener = listener;
    }

    static Thread start(InputStream stdin, Listener listener) {
        Thread thread = new Thread(new StdinWatcher(stdin, listener), "distarch-stdin");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void run() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.ISO_8859_1))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (WorkerLineCodec.isStopCommand(line)) {
                    listener.stopAsked();
                }
            }
        } catch (IOException | RuntimeException e) {
            // a broken stdin is a gone master
        }
        listener.masterGone();
    }
}
