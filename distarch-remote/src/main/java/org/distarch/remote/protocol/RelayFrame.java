package org.distarch.remote.protocol;

import java.util.List;
import java.util.Map;
import org.distarch.event.DistarchEvent;
import org.distarch.supervise.InstancePlan;

/**
 * One line of the relay protocol (docs/relay-protocol.md). The master writes {@link Start}, then
 * {@link Ping} every heartbeat, and {@link Stop} or {@link Kill}; the relay answers with {@link Log},
 * {@link Event} and finally {@link Done}.
 */
public sealed interface RelayFrame {

    /** Master → relay, first: what to run on this host and how long a silent master may stay silent. */
    record Start(String host, List<InstancePlan> instances, int maxProcessTimeout, long timeoutMillis,
            long deadAfterMillis) implements RelayFrame {}

    /** Master → relay: still here. */
    record Ping() implements RelayFrame {}

    /** Master → relay: stop every process gracefully (the relay kills what is left after the timeout). */
    record Stop(String reason) implements RelayFrame {}

    /** Master → relay: kill every process now. */
    record Kill() implements RelayFrame {}

    /** Relay → master: a log line of process {@code id}, or of the relay itself ({@code id} 0). */
    record Log(long epochMillis, String level, int id, String message, Map<String, String> context)
            implements RelayFrame {}

    /** Relay → master: a lifecycle event of a process or of the relay. */
    record Event(DistarchEvent event) implements RelayFrame {}

    /** Relay → master, last: the relay's master has finished with this exit code. */
    record Done(int exitCode) implements RelayFrame {}
}
