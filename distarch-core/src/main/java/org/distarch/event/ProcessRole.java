package org.distarch.event;

/** What a process is in its group: a plain worker, or a queue group's feeder or consumer. */
public enum ProcessRole {
    WORKER(""),
    FEEDER("Feeder - "),
    CONSUMER("Consumer - ");

    private final String displayPrefix;

    ProcessRole(String displayPrefix) {
        this.displayPrefix = displayPrefix;
    }

    String displayPrefix() {
        return displayPrefix;
    }
}
