package org.distarch.control.socket;

/**
 * The {@code logs} operation's arguments ({@code {"op":"logs","logs":{...}}}, docs/control-protocol.md).
 *
 * @param process a process by global id ({@code "7"}) or {@code "group/groupId"}; null for every process
 * @param group   every process of this group; null for every group (not with {@code process})
 * @param lines   how many of the last kept lines to send first (null: {@link #DEFAULT_LINES})
 * @param follow  keep the connection open and send each new line as it comes
 * @param after   only lines with a sequence number above this (resume where a reader left off; 0: all)
 */
public record LogsRequest(String process, String group, Integer lines, boolean follow, long after) {

    public static final int DEFAULT_LINES = 100;
    public static final int MAX_LINES = 100_000;

    public int linesOrDefault() {
        return lines == null ? DEFAULT_LINES : lines;
    }
}
