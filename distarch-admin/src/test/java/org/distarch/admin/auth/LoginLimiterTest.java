package org.distarch.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Failed logins per address, on a clock the test moves. */
class LoginLimiterTest {

    /** A clock the test sets. */
    static final class MovingClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void fiveFailuresInTheWindowLockTheAddressUntilTheOldestLeavesIt() {
        MovingClock clock = new MovingClock();
        LoginLimiter limiter = new LoginLimiter(clock);
        for (int i = 0; i < LoginLimiter.MAX_FAILURES; i++) {
            assertThat(limiter.refusal("10.0.0.1")).isEmpty();
            limiter.failed("10.0.0.1");
            clock.millis += 1000;
        }
        assertThat(limiter.refusal("10.0.0.1")).contains(LoginLimiter.WINDOW.minusSeconds(5));
        assertThat(limiter.refusal("10.0.0.2")).as("another address").isEmpty();
        clock.millis += LoginLimiter.WINDOW.toMillis() - 5000;
        assertThat(limiter.refusal("10.0.0.1")).as("the first failure left the window").isEmpty();
    }

    @Test
    void aSuccessForgetsTheFailures() {
        MovingClock clock = new MovingClock();
        LoginLimiter limiter = new LoginLimiter(clock);
        for (int i = 0; i < LoginLimiter.MAX_FAILURES - 1; i++) {
            limiter.failed("a");
        }
        limiter.succeeded("a");
        limiter.failed("a");
        assertThat(limiter.refusal("a")).isEmpty();
        assertThat(Duration.ZERO).isZero();
    }

    @Test
    void sessionsEndWhenIdleOrTooOld() {
        MovingClock clock = new MovingClock();
        Sessions sessions = new Sessions(clock);
        Sessions.Session s = sessions.create("alice", org.distarch.config.AdminRole.VIEWER);
        assertThat(sessions.find(s.id())).isSameAs(s);
        clock.millis += Sessions.IDLE.toMillis() + 1;
        assertThat(sessions.find(s.id())).isNull();
        Sessions.Session t = sessions.create("bob", org.distarch.config.AdminRole.VIEWER);
        for (int i = 0; i < 7; i++) {
            clock.millis += Sessions.IDLE.toMillis() - 1;
            sessions.find(t.id());
        }
        assertThat(sessions.find(t.id())).as("past MAX_AGE however busy").isNull();
        assertThat(sessions.find("unknown")).isNull();
    }
}
