package org.distarch.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The probe: a task that runs 60 ms shows as the longest; a timer queued behind it shows as late. */
class ThreadSchedulerStatsTest {

    static final class SlowTask implements Runnable {
        @Override
        public void run() {
            try {
                Thread.sleep(60);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void longestTaskAndTimerLatenessAreMeasuredThenReset() throws InterruptedException {
        try (ThreadScheduler scheduler = new ThreadScheduler(Clock.systemUTC(), t -> {})) {
            CountDownLatch done = new CountDownLatch(1);
            scheduler.execute(new SlowTask());
            scheduler.schedule(Duration.ofMillis(10), done::countDown); // due while the slow task runs
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            CountDownLatch taken = new CountDownLatch(1);
            SupervisionStats[] stats = new SupervisionStats[2];
            scheduler.execute(() -> {
                stats[0] = scheduler.takeStats();
                stats[1] = scheduler.takeStats();
                taken.countDown();
            });
            assertThat(taken.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(stats[0].longestTaskMillis()).isBetween(55L, 5000L);
            assertThat(stats[0].longestTask()).isEqualTo("ThreadSchedulerStatsTest$SlowTask");
            assertThat(stats[0].longestTaskCpuMillis()).isLessThan(30L); // it slept: no CPU
            assertThat(stats[0].worstTimerLatenessMillis()).isBetween(30L, 5000L);
            assertThat(stats[1].longestTaskMillis()).isZero();
            assertThat(stats[1].worstTimerLatenessMillis()).isZero();
        }
    }
}
