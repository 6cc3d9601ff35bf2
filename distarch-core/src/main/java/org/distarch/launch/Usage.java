package org.distarch.launch;

/**
 * CPU time and resident memory of a worker and its children, as last measured where it runs (this
 * machine's /proc, or a remote host's relay). Zero when unknown.
 */
public record Usage(long cpuMillis, long rssBytes) {

    public static final Usage UNKNOWN = new Usage(0, 0);
}
