package org.distarch.worker.protocol;

/**
 * Names of the environment variables through which a master gives a worker its identity.
 * Identity never travels on the command line (it would be visible to {@code ps}).
 * A process without {@link #ID} was not started by a master.
 */
public final class WorkerEnv {

    /** Global id of the instance, 1, 2, 3… across all groups, in configuration order. */
    public static final String ID = "DA_ID";
    /** Id of the instance inside its group, 1…n. */
    public static final String GROUP_ID = "DA_GROUP_ID";
    /** Number of instances in the group, local and remote together. */
    public static final String GROUP_COUNT = "DA_GROUP_COUNT";
    /** Name of the group. */
    public static final String GROUP_NAME = "DA_GROUP_NAME";
    /** The group's {@code params} as a JSON object. */
    public static final String PARAMS = "DA_PARAMS";
    /** Host name as configured; {@code localhost} for local instances. */
    public static final String HOST = "DA_HOST";
    /** Seconds of silence after which the master times the worker out. */
    public static final String TIMEOUT = "DA_TIMEOUT";
    /** The group's {@code command} as configured, e.g. {@code app:import --verbose}. */
    public static final String GROUP_COMMAND = "DA_GROUP_COMMAND";
    /** The working directory the configuration sets for this process ({@code path}); absent when unset. */
    public static final String PATH = "DA_PATH";
    /** The {@code bin_path} the configuration sets for this process; absent when unset. */
    public static final String BIN_PATH = "DA_BIN_PATH";
    /** The {@code priority} (nice value, -19…19) the configuration sets for this process; absent when unset. */
    public static final String PRIORITY = "DA_PRIORITY";
    /** Display name {@code command/id/groupId}. */
    public static final String COMMAND = "DA_COMMAND";
    /** Version of the line protocol the master speaks: {@value #PROTOCOL_VERSION}. */
    public static final String PROTOCOL = "DA_PROTOCOL";
    /** Pid of the master (or of the remote host's launcher) that started the worker. */
    public static final String MASTER_PID = "DA_MASTER_PID";
    /**
     * The run of the master (or relay) that started the worker, 16 hex digits: how the next run finds the
     * workers of one that died before it could record them. Inherited by the worker's children; keep it.
     */
    public static final String GENERATION = "DA_GENERATION";
    /**
     * Optional: seconds a worker may keep running after its master is gone (stdin EOF)
     * before the Java runtime halts it with exit code 3. Default 10.
     */
    public static final String ORPHAN_GRACE = "DA_ORPHAN_GRACE";

    /** The value of {@link #PROTOCOL} for this version of the protocol. */
    public static final String PROTOCOL_VERSION = "1";

    private WorkerEnv() {}
}
