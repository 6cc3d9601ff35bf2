package org.distarch.supervise;

import java.time.Duration;
import org.distarch.instance.InstanceState;

/**
 * One process instance as the master's fleet sees it: supervised here ({@link InstanceSupervisor}) or by a
 * remote host's relay, whose reports it mirrors. All methods run on the supervision thread.
 */
public interface Supervised {

    InstancePlan plan();

    InstanceState state();

    /** True when the process runs on this machine (its pid means something here, /proc can be read). */
    boolean local();

    void start();

    /** Starts it again on an operator's request, with clean failure budgets. */
    void resume();

    /** Asks it to stop and stay stopped; kills it after {@code grace} (null: the caller keeps a deadline). */
    void stop(String reason, Duration grace);

    void kill();

    /** Stops it gracefully and starts it again at once, not counted as a failure. */
    void restart(String reason);

    long pid();

    long startedAtMillis();

    int restarts();

    long lastOutputMillis();

    String lastLine();
}
