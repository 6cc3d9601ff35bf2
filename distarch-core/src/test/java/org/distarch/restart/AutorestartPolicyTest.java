package org.distarch.restart;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.distarch.config.Autorestart;
import org.distarch.config.RestartConfig;
import org.distarch.config.RunOptions;
import org.distarch.config.StopSignal;
import org.distarch.event.ExitStatus;
import org.junit.jupiter.api.Test;

/** autorestart and exit_codes: what each exit becomes, decided with no process. */
class AutorestartPolicyTest {

    private static final RestartConfig CONFIG = new RestartConfig(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0,
            0.0, Duration.ofSeconds(60), 5);

    private static RestartPolicy policy(Autorestart autorestart, Integer... exitCodes) {
        RunOptions run = new RunOptions(autorestart, Set.of(exitCodes), StopSignal.TERM, Map.of(), null, null);
        return new RestartPolicy(CONFIG, run, 3, () -> 0.5);
    }

    private static final ExitStatus ZERO = new ExitStatus(0, 0);
    private static final ExitStatus TWO = new ExitStatus(2, 0);
    private static final ExitStatus THREE = new ExitStatus(3, 0);
    private static final ExitStatus KILLED = ExitStatus.fromExitValue(137);

    @Test
    void onFailureEndsASuccessAndRestartsAFailure() {
        RestartPolicy p = policy(Autorestart.ON_FAILURE, 0);
        assertThat(p.afterExit(ZERO, Duration.ofSeconds(3), FailureHistory.NONE))
                .isEqualTo(new RestartDecision.End("Ended", FailureHistory.NONE));
        RestartDecision crash = p.afterExit(THREE, Duration.ofSeconds(3), FailureHistory.NONE);
        assertThat(crash).isEqualTo(new RestartDecision.Restart(Duration.ofSeconds(1),
                "exited with exit code 3 (failure 1 of 5)", new FailureHistory(1, 0)));
    }

    @Test
    void theDefaultIsOnFailureWithExitCodeZero() {
        RestartPolicy p = new RestartPolicy(CONFIG, 3, () -> 0.5);
        assertThat(p.afterExit(ZERO, Duration.ZERO, FailureHistory.NONE)).isInstanceOf(RestartDecision.End.class);
        assertThat(p.afterExit(TWO, Duration.ZERO, FailureHistory.NONE)).isInstanceOf(RestartDecision.Restart.class);
    }

    @Test
    void exitCodesListWhatCountsAsSuccess() {
        RestartPolicy p = policy(Autorestart.ON_FAILURE, 0, 2);
        assertThat(p.afterExit(TWO, Duration.ZERO, FailureHistory.NONE)).isEqualTo(
                new RestartDecision.End("Ended with exit code 2 (a success: exit_codes)", FailureHistory.NONE));
        assertThat(p.afterExit(THREE, Duration.ZERO, FailureHistory.NONE)).isInstanceOf(RestartDecision.Restart.class);
        assertThat(p.afterExit(KILLED, Duration.ZERO, FailureHistory.NONE).reason())
                .isEqualTo("killed by signal 9 (SIGKILL) (failure 1 of 5)");
        RestartPolicy onlyTwo = policy(Autorestart.ON_FAILURE, 2);
        assertThat(onlyTwo.afterExit(ZERO, Duration.ZERO, FailureHistory.NONE).reason())
                .isEqualTo("exited with exit code 0 (failure 1 of 5)");
    }

    @Test
    void alwaysRestartsASuccessAfterTheInitialBackoffWithoutCountingAFailure() {
        RestartPolicy p = policy(Autorestart.ALWAYS, 0);
        FailureHistory two = new FailureHistory(2, 0);
        assertThat(p.afterExit(ZERO, Duration.ofSeconds(1), two)).isEqualTo(new RestartDecision.Restart(
                Duration.ofSeconds(1), "exited with exit code 0 (autorestart: always)", two));
        assertThat(p.afterExit(ZERO, Duration.ofMinutes(5), two).history()).isEqualTo(FailureHistory.NONE);
        assertThat(p.afterExit(THREE, Duration.ZERO, FailureHistory.NONE).reason())
                .isEqualTo("exited with exit code 3 (failure 1 of 5)");
    }

    @Test
    void neverGivesUpAFailureAtOnceAndEndsASuccess() {
        RestartPolicy p = policy(Autorestart.NEVER, 0);
        assertThat(p.afterExit(ZERO, Duration.ZERO, FailureHistory.NONE)).isInstanceOf(RestartDecision.End.class);
        assertThat(p.afterExit(THREE, Duration.ZERO, FailureHistory.NONE)).isEqualTo(
                new RestartDecision.GiveUp("exited with exit code 3 (autorestart: never)", FailureHistory.NONE));
        assertThat(p.decide(new Failure(Failure.Kind.TIMEOUT, Duration.ZERO, "timed out"), FailureHistory.NONE))
                .isEqualTo(new RestartDecision.GiveUp("timed out (autorestart: never)", FailureHistory.NONE));
        assertThat(p.decide(new Failure(Failure.Kind.LAUNCH_FAILED, Duration.ZERO, "could not start"),
                FailureHistory.NONE)).isInstanceOf(RestartDecision.GiveUp.class);
    }
}
