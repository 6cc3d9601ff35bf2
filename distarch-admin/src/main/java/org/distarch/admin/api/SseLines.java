package org.distarch.admin.api;

import org.distarch.logs.LogLine;

/**
 * Each log line's server-sent message ({@code id}, {@code event: line}, its JSON), made once for all the
 * streams that follow it: with 50 followers of a flooding fleet, encoding each line per follower was most of
 * the log streams' cost (bin/bench api-sse). A small ring by sequence number: a line that fell out of it (a
 * follower far behind) is simply encoded again.
 */
final class SseLines {

    private static final int SIZE = 8192; // a power of two
    private final long[] seqs = new long[SIZE];
    private final String[] texts = new String[SIZE];

    synchronized String of(LogLine line) {
        int slot = (int) (line.seq() & (SIZE - 1));
        if (seqs[slot] == line.seq() && texts[slot] != null) {
            return texts[slot];
        }
        String text = "id: " + line.seq() + "\nevent: line\ndata: " + Json.write(LogEndpoints.json(line)) + "\n\n";
        seqs[slot] = line.seq();
        texts[slot] = text;
        return text;
    }
}
