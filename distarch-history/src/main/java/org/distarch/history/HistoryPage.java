package org.distarch.history;

import java.util.List;

/**
 * One page of entries, newest first; {@code next} is the cursor of the following (older) page, null on the
 * last one. A cursor is opaque: hand it back in {@link HistoryQuery#before(String)}.
 */
public record HistoryPage(List<HistoryEntry> entries, String next) {
    public HistoryPage {
        entries = List.copyOf(entries);
    }
}
