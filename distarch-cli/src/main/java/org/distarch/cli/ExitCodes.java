package org.distarch.cli;

/** Exit codes of the distarch commands, documented in the README. */
final class ExitCodes {
    /**
     * The master ran and a process failed, a pre-run check failed, no process ever ran, or the fleet was killed
     * for silence.
     */
    static final int FAILED = 1;
    /** Bad command line, or a feature this build does not have. */
    static final int USAGE = 2;
    /** The configuration is invalid, or a group cannot start on this machine; nothing was started. */
    static final int CONFIG = 2;
    /** A control command found no running master at the given pid file. */
    static final int NO_MASTER = 2;

    private ExitCodes() {}
}
