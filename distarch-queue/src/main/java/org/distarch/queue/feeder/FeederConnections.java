package org.distarch.queue.feeder;

import java.util.ArrayList;
import java.util.List;
import org.distarch.queue.feeder.FeederConnection.Phase;

/**
 * The feeder's open connections, with what is counted across them: consumers welcomed, and the memory their
 * readers hold for partial frames (the bound a flood of strangers must not break). Loop thread only, except
 * the counters, which tests and {@code connectedConsumers()} read from other threads.
 */
final class FeederConnections {

    private final List<FeederConnection> open = new ArrayList<>();
    private volatile int welcomed;
    private volatile long heldForFrames;
    private volatile long peakHeldForFrames;
    private int rotation;

    void add(FeederConnection c) {
        open.add(c);
        account(0, c.heldBytes());
    }

    /** Takes a closing connection out; call before {@link FeederConnection#close()}, while its phase tells what it was. */
    void remove(FeederConnection c) {
        if (open.remove(c)) {
            account(c.heldBytes(), 0);
            if (c.phase == Phase.READY) {
                welcomed--;
            }
        }
    }

    void welcomed() {
        welcomed++;
    }

    int welcomedCount() {
        return welcomed;
    }

    /** A copy: the caller may drop connections while it goes through them. */
    List<FeederConnection> snapshot() {
        return new ArrayList<>(open);
    }

    /** This round's order: each round starts one further, so that one fast asker cannot starve the others. */
    List<FeederConnection> nextRound() {
        int n = open.size();
        List<FeederConnection> round = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            round.add(open.get((rotation + i) % n));
        }
        rotation = n == 0 ? 0 : (rotation + 1) % n;
        return round;
    }

    boolean anyCredit() {
        for (FeederConnection c : open) {
            if (c.phase == Phase.READY && c.credits > 0) {
                return true;
            }
        }
        return false;
    }

    /** Call around anything that may change what a connection's reader holds. */
    void account(long before, long after) {
        heldForFrames += after - before;
        if (heldForFrames > peakHeldForFrames) {
            peakHeldForFrames = heldForFrames;
        }
    }

    /** Bytes held for partial frames now, and the most ever held at once. */
    long[] frameMemory() {
        return new long[] {heldForFrames, peakHeldForFrames};
    }
}
