package org.distarch.remote.relay;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.distarch.master.Master;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.remote.protocol.RelayCodec;
import org.distarch.remote.protocol.RelayFrame;
import org.distarch.worker.protocol.LogLevel;

/**
 * The relay's side of the session: obeys the master's frames, and decides that the master is gone when
 * its stdin closes or the heartbeats stop. Then it stops the workers gracefully and kills what is left
 * after {@code grace}: nothing may run unsupervised.
 */
final class Heartbeat {

    private final Master master;
    private final LogSink log;
    private final Clock clock;
    private final Duration deadAfter;
    private final Duration grace;
    private volatile long lastPing;
    private volatile boolean gone;

    Heartbeat(Master master, LogSink log, Clock clock, Duration deadAfter, Duration grace) {
        this.master = master;
        this.log = log;
        this.clock = clock;
        this.deadAfter = deadAfter;
        this.grace = grace;
        this.lastPing = clock.millis();
    }

    void read(BufferedReader frames) {
        try {
            String line;
            while ((line = frames.readLine()) != null) {
                RelayFrame frame;
                try {
                    frame = RelayCodec.decode(line, id -> null);
                } catch (IllegalArgumentException e) {
                    warn("Ignoring a bad frame from the master: " + e.getMessage());
                    continue;
                }
                lastPing = clock.millis();
                if (frame instanceof RelayFrame.Stop s) {
                    master.requestStop(s.reason());
                } else if (frame instanceof RelayFrame.Kill) {
                    master.forceStop("the master asked to kill every process");
                }
            }
            masterGone("the session with the master closed");
        } catch (IOException e) {
            masterGone("the session with the master broke: " + e.getMessage());
        }
    }

    void check() {
        long silence = clock.millis() - lastPing;
        if (silence > deadAfter.toMillis()) {
            masterGone("no heartbeat from the master for " + silence / 1000 + "s");
        }
    }

    private void masterGone(String why) {
        if (gone) {
            return;
        }
        gone = true;
        warn("Master lost (" + why + "): stopping every process");
        master.requestStop("master lost");
        CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> master.forceStop("master lost, grace of " + grace.toSeconds() + "s over"));
    }

    private void warn(String message) {
        log.write(new LogRecord(clock.millis(), LogLevel.WARN, null, message, null));
    }
}
