package org.distarch.queue.feeder;

import java.util.ArrayList;
import java.util.List;
import org.distarch.queue.feeder.FeederConnection.Phase;
import org.distarch.queue.protocol.QueueFrame;

/**
 * The per-connection timers of the feeder, checked against the time the loop passes in: the handshake
 * deadline, the silence timeout (only whole frames count as heard, and what waits unread is read before a
 * connection is judged) and the keepalive ping.
 */
final class FeederTimers {

    private final long timeout;
    private final long ping;

    FeederTimers(FeederOptions options) {
        this.timeout = options.networkTimeout().toMillis();
        this.ping = options.pingInterval().toMillis();
    }

    /**
     * Drops or pings the connections that are due and returns how long the loop may wait for the next timer,
     * in milliseconds (at most a second).
     */
    long run(FeederSessions<?> server, List<FeederConnection> connections, long now, long drainDeadline) {
        long next = drainDeadline;
        for (FeederConnection c : new ArrayList<>(connections)) {
            if (c.phase == Phase.HANDSHAKE && now - c.connectedAt >= timeout
                    || c.phase != Phase.HANDSHAKE && now - c.lastHeard >= timeout) {
                // Reads what waits first: sent while this loop was held up (stopped, starved of CPU, a slow
                // source), it was not heard only because nobody read it, and an answer in it settles an item.
                server.read(c, now);
                if (c.phase == Phase.CLOSED) {
                    continue;
                }
            }
            if (c.phase == Phase.HANDSHAKE) {
                if (now - c.connectedAt >= timeout) {
                    server.refuse(c, "no handshake within " + timeout + " ms");
                } else {
                    next = Math.min(next, c.connectedAt + timeout);
                }
                continue;
            }
            if (now - c.lastHeard >= timeout) {
                server.refuse(c, (c.hasPartialFrame() ? "stalled in the middle of a frame" : "silent")
                        + " for " + (now - c.lastHeard) + " ms");
                continue;
            }
            next = Math.min(next, c.lastHeard + timeout);
            if (now - c.lastSent >= ping) {
                server.send(c, new QueueFrame.Ping(), now);
                if (c.phase == Phase.CLOSED) {
                    continue;
                }
            }
            next = Math.min(next, c.lastSent + ping);
        }
        return next == Long.MAX_VALUE ? 1000 : Math.max(1, Math.min(1000, next - now));
    }
}
