package org.distarch.restart;

import java.time.Duration;

/**
 * What to do after a process ended by itself: restart after a delay, give up (a failure not restarted), or end
 * (a success not restarted). Always with a reason for the log.
 */
public sealed interface RestartDecision {

    FailureHistory history();

    String reason();

    record Restart(Duration delay, String reason, FailureHistory history) implements RestartDecision {}

    record GiveUp(String reason, FailureHistory history) implements RestartDecision {}

    /** It succeeded (its exit code is one of {@code exit_codes}) and stays ended. */
    record End(String reason, FailureHistory history) implements RestartDecision {}
}
