package org.distarch.history;

/**
 * Where a page ended, in the one order of every query: time descending, then kind (in {@link HistoryKind}
 * order), then id descending. Written {@code time.kind.id}, e.g. {@code 1796113815250.0.4711}.
 */
record Cursor(long time, HistoryKind kind, long id) {

    static Cursor of(HistoryEntry e) {
        return new Cursor(e.time().toEpochMilli(), e.kind(), e.id());
    }

    static Cursor parse(String text) {
        String[] parts = text.split("\\.", -1);
        try {
            if (parts.length == 3) {
                int kind = Integer.parseInt(parts[1]);
                if (kind >= 0 && kind < HistoryKind.values().length) {
                    return new Cursor(Long.parseLong(parts[0]), HistoryKind.values()[kind], Long.parseLong(parts[2]));
                }
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("malformed page cursor \"" + text + "\"");
    }

    /** Whether {@code e} comes before this cursor in the order, i.e. was on an earlier page or is this one. */
    static int compare(HistoryEntry a, HistoryEntry b) {
        int c = b.time().compareTo(a.time());
        if (c != 0) {
            return c;
        }
        c = a.kind().compareTo(b.kind());
        return c != 0 ? c : Long.compare(b.id(), a.id());
    }

    @Override
    public String toString() {
        return time + "." + kind.ordinal() + "." + id;
    }
}
