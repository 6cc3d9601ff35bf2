package org.distarch.restart;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.distarch.config.RestartConfig;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    private static final RestartConfig CONFIG = new RestartConfig(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0,
            0.2, Duration.ofSeconds(60), 5);

    private final RestartPolicy noJitter = new RestartPolicy(CONFIG, 3, () -> 0.5);

    private static Failure crash(long healthySeconds) {
        return new Failure(Failure.Kind.CRASH, Duration.ofSeconds(healthySeconds), "exited with exit code 3");
    }

    private static Failure timeout(long healthySeconds) {
        return new Failure(Failure.Kind.TIMEOUT, Duration.ofSeconds(healthySeconds), "timed out");
    }

    @Test
    void backoffDoublesFromOneSecondAndIsCappedAtTheMaximum() {
        RestartPolicy policy = new RestartPolicy(new RestartConfig(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0,
                0.2, Duration.ofSeconds(60), 100), 3, () -> 0.5);
        FailureHistory h = FailureHistory.NONE;
        long[] expected = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
        for (long millis : expected) {
            RestartDecision d = policy.decide(crash(0), h);
            assertThat(d).isInstanceOf(RestartDecision.Restart.class);
            assertThat(((RestartDecision.Restart) d).delay()).isEqualTo(Duration.ofMillis(millis));
            h = d.history();
        }
    }

    @Test
    void jitterSpreadsTheDelayWithinTheConfiguredFraction() {
        RestartPolicy low = new RestartPolicy(CONFIG, 3, () -> 0.0);
        RestartPolicy high = new RestartPolicy(CONFIG, 3, () -> 0.999999);
        FailureHistory threeFailures = new FailureHistory(3, 0);
        assertThat(((RestartDecision.Restart) low.decide(crash(0), threeFailures)).delay()).isEqualTo(Duration.ofMillis(6400));
        assertThat(((RestartDecision.Restart) high.decide(crash(0), threeFailures)).delay()).isEqualTo(Duration.ofMillis(9600));
    }

    @Test
    void givesUpAfterMaxFailuresFastFailures() {
        FailureHistory h = FailureHistory.NONE;
        for (int i = 1; i < 5; i++) {
            RestartDecision d = noJitter.decide(crash(1), h);
            assertThat(d).as("failure %d", i).isInstanceOf(RestartDecision.Restart.class);
            assertThat(d.reason()).contains("failure " + i + " of 5");
            h = d.history();
        }
        RestartDecision last = noJitter.decide(crash(1), h);
        assertThat(last).isInstanceOf(RestartDecision.GiveUp.class);
        assertThat(last.reason()).contains("exited with exit code 3").contains("giving up");
    }

    @Test
    void aMinuteOfHealthyRunningResetsTheBudgets() {
        FailureHistory nearlyDead = new FailureHistory(4, 2);
        RestartDecision d = noJitter.decide(crash(60), nearlyDead);
        assertThat(d).isInstanceOf(RestartDecision.Restart.class);
        assertThat(((RestartDecision.Restart) d).delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.history()).isEqualTo(new FailureHistory(1, 0));
    }

    @Test
    void timeoutsCountInTheirOwnBudgetAgainstMaxProcessTimeout() {
        FailureHistory h = new FailureHistory(3, 0);
        RestartDecision first = noJitter.decide(timeout(0), h);
        assertThat(first).isInstanceOf(RestartDecision.Restart.class);
        assertThat(first.history()).isEqualTo(new FailureHistory(3, 1));
        RestartDecision second = noJitter.decide(timeout(0), first.history());
        assertThat(second).isInstanceOf(RestartDecision.Restart.class);
        RestartDecision third = noJitter.decide(timeout(0), second.history());
        assertThat(third).isInstanceOf(RestartDecision.GiveUp.class);
        assertThat(third.reason()).contains("timed out 3 times").contains("removed");
    }

    @Test
    void aTimedOutProcessThatWasSilentFromTheStartNeverCountsAsHealthy() {
        // healthyFor is start-to-last-output, so a long silence does not reset the timeout budget.
        RestartDecision d = noJitter.decide(timeout(0), new FailureHistory(0, 2));
        assertThat(d).isInstanceOf(RestartDecision.GiveUp.class);
    }

    /** Regression (everyday-operations issue): "max_backoff: 8" gave "Restarting in 9.3s": the jitter went past the cap. */
    @Test
    void maxBackoffHoldsAfterTheJitter() {
        RestartConfig capped = new RestartConfig(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, 0.2,
                Duration.ofSeconds(60), 100);
        RestartPolicy highest = new RestartPolicy(capped, 3, () -> 0.999);
        RestartDecision d = highest.decide(crash(0), new FailureHistory(10, 0));
        assertThat(((RestartDecision.Restart) d).delay()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void aLostHostNeverGivesUpAndBacksOffOnItsOwnCount() {
        RestartDecision d = noJitter.decide(new Failure(Failure.Kind.LOST, Duration.ZERO, "h1 unreachable"),
                new FailureHistory(4, 2, 30));
        assertThat(d).isInstanceOf(RestartDecision.Restart.class);
        assertThat(d.history()).isEqualTo(new FailureHistory(4, 2, 31));
        assertThat(((RestartDecision.Restart) d).delay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.reason()).isEqualTo("h1 unreachable (attempt 31)");
        RestartDecision gone = noJitter.decide(new Failure(Failure.Kind.UNRECOVERABLE, Duration.ZERO, "host key changed"),
                FailureHistory.NONE);
        assertThat(gone).isInstanceOf(RestartDecision.GiveUp.class);
    }
}
