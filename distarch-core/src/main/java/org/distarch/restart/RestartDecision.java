package org.distarch.restart;

import java.time.Duration;

/** What to do after a {@link Failure}: restart after a delay, or give up. Always with a reason for the log. */
public sealed interface RestartDecision {

    FailureHistory history();

    String reason();

    record Restart(Duration delay, String reason, FailureHistory history) implements RestartDecision {}

    record GiveUp(String reason, FailureHistory history) implements RestartDecision {}
}
