package org.distarch.history;

import java.util.Locale;

/** The kinds of history entries, each its own table. The order breaks ties between entries of the same time. */
public enum HistoryKind {
    /** A process moved from one state to another ({@link HistoryEntry.Transition}). */
    TRANSITION,
    /** A process stopped: its exit code or signal and what became of it ({@link HistoryEntry.Exit}). */
    EXIT,
    /** Someone steered the fleet: the audit ({@link HistoryEntry.Action}). */
    ACTION,
    /** A remote host's relay connected, or its connection ended ({@link HistoryEntry.Relay}). */
    RELAY,
    /** A queue group's items done, failed and redelivered so far in the run ({@link HistoryEntry.QueueTotals}). */
    QUEUE_TOTALS;

    /** {@code transition}, {@code queue_totals}, ...: the name in JSON and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the kinds there are */
    public static HistoryKind parse(String text) {
        for (HistoryKind k : values()) {
            if (k.label().equalsIgnoreCase(text.strip()) || k.name().equalsIgnoreCase(text.strip())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown kind \"" + text + "\" (kinds: transition, exit, action, relay, "
                + "queue_totals)");
    }
}
