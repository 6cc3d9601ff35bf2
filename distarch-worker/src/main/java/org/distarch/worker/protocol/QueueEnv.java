package org.distarch.worker.protocol;

/**
 * Environment variables through which a master tells a queue group's process its part: feeder or consumer,
 * where the feeder listens, and how the two talk. Set in addition to {@link WorkerEnv}'s; absent in plain
 * groups. The secret travels here, never on a command line.
 */
public final class QueueEnv {

    /** {@value #FEEDER} or {@value #CONSUMER}. */
    public static final String ROLE = "DA_QUEUE_ROLE";
    public static final String FEEDER = "feeder";
    public static final String CONSUMER = "consumer";

    /** Feeder: the address it binds to. Consumer: the feeder's address it connects to. */
    public static final String HOST = "DA_QUEUE_HOST";
    /** The feeder's TCP port. */
    public static final String PORT = "DA_QUEUE_PORT";
    /**
     * Optional: a UNIX socket path. The feeder listens on it as well; a consumer on the feeder's own host
     * connects to it instead of TCP.
     */
    public static final String SOCKET = "DA_QUEUE_SOCKET";
    /** Optional: the shared secret (see docs/queue-protocol.md); unset or empty means none. */
    public static final String SECRET = "DA_QUEUE_SECRET";
    /** Items a consumer holds at once. */
    public static final String PREFETCH = "DA_QUEUE_PREFETCH";
    /** Hand-outs of one item before it fails; 1 = no redelivery. */
    public static final String MAX_ATTEMPTS = "DA_QUEUE_MAX_ATTEMPTS";
    /** Milliseconds after which the feeder asks an empty source again. */
    public static final String EMPTY_INTERVAL_MILLIS = "DA_QUEUE_EMPTY_INTERVAL_MS";
    /** Largest frame in bytes. */
    public static final String MAX_FRAME = "DA_QUEUE_MAX_FRAME";
    /** Milliseconds of silence after which a connection counts as lost. */
    public static final String NETWORK_TIMEOUT_MILLIS = "DA_QUEUE_NETWORK_TIMEOUT_MS";
    /** Milliseconds a stopping feeder waits for the answers still due. */
    public static final String DRAIN_MILLIS = "DA_QUEUE_DRAIN_MS";

    private QueueEnv() {}
}
