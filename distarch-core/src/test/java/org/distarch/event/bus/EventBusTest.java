package org.distarch.event.bus;

import org.distarch.event.*;
import org.distarch.event.SampleEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventBusTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<String> notices = new CopyOnWriteArrayList<>();
    private final List<EventBus> buses = new ArrayList<>();
    private final List<Blocked> blocked = new ArrayList<>();

    @AfterEach
    void noThreadsLeft() {
        blocked.forEach(Blocked::release);
        buses.forEach(EventBus::close);
        assertThat(eventThreads()).isEmpty();
    }

    @Test
    void aBlockedListenerDoesNotDelayAnother() {
        EventBus bus = bus();
        Blocked stuck = blocked();
        Recording fast = new Recording();
        bus.subscribe(stuck);
        bus.subscribe(fast);

        for (int i = 1; i <= 100; i++) {
            bus.publish(SampleEvents.numbered(i));
        }

        stuck.awaitEntered(); // and stays there until the test ends
        awaitTrue(() -> fast.size() == 100);
        assertThat(stuck.seen).hasSize(1);
        assertThat(failures).isEmpty();
    }

    @Test
    void publishNeverBlocksWithABlockedListener() throws Exception {
        EventBus bus = bus();
        Blocked stuck = blocked();
        bus.subscribe(stuck, 16);
        Recording fast = new Recording();
        bus.subscribe(fast, 100_000);
        bus.publish(SampleEvents.numbered(1));
        stuck.awaitEntered();

        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            for (int i = 2; i <= 50_000; i++) {
                bus.publish(SampleEvents.numbered(i));
            }
        });

        publishing.get(WAIT.toSeconds(), TimeUnit.SECONDS); // a blocking publish would never get here
        awaitTrue(() -> fast.size() == 50_000);
        assertThat(bus.stats().get(0)).isEqualTo(new ListenerStats(Blocked.class.getName(), 16, 16, 0, 50_000 - 1 - 16));
    }

    @Test
    void dropsAreCountedExactlyWhenTheQueueIsFull() {
        EventBus bus = bus();
        Blocked stuck = blocked();
        bus.subscribe(stuck, 10);

        bus.publish(SampleEvents.numbered(0));
        stuck.awaitEntered(); // the thread holds event 0: the queue is empty again
        for (int i = 1; i <= 10; i++) {
            bus.publish(SampleEvents.numbered(i));
        }
        assertThat(bus.stats()).containsExactly(new ListenerStats(Blocked.class.getName(), 10, 10, 0, 0));

        for (int i = 11; i <= 17; i++) {
            bus.publish(SampleEvents.numbered(i));
        }
        assertThat(bus.stats()).containsExactly(new ListenerStats(Blocked.class.getName(), 10, 10, 0, 7));

        stuck.release();
        bus.drain();
        assertThat(bus.stats()).containsExactly(new ListenerStats(Blocked.class.getName(), 10, 0, 11, 7));
        assertThat(stuck.seen).extracting(e -> ((ProcessEvent.Starting) e).attempt())
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    @Test
    void eachListenerHearsEveryEventInPublicationOrder() {
        EventBus bus = bus();
        Recording a = new Recording();
        Recording b = new Recording();
        bus.subscribe(a, 20_000);
        bus.subscribe(b, 20_000);
        List<DistarchEvent> published = new ArrayList<>();
        for (int i = 1; i <= 20_000; i++) {
            DistarchEvent e = SampleEvents.numbered(i);
            published.add(e);
            bus.publish(e);
        }

        bus.drain();

        assertThat(a.events()).containsExactlyElementsOf(published);
        assertThat(b.events()).containsExactlyElementsOf(published);
    }

    @Test
    void drainWaitsForASlowListener() {
        EventBus bus = bus();
        Recording slow = new Recording() {
            @Override
            public void onEvent(DistarchEvent event) {
                sleep(1);
                super.onEvent(event);
            }
        };
        bus.subscribe(slow);
        for (int i = 1; i <= 200; i++) {
            bus.publish(SampleEvents.numbered(i));
        }

        bus.drain();

        assertThat(slow.size()).isEqualTo(200);
    }

    @Test
    void aThrowingListenerIsReportedAndKeepsReceiving() {
        EventBus bus = bus();
        Recording seen = new Recording();
        bus.subscribe(new DistarchListener() {
            @Override
            public void onEvent(DistarchEvent event) {
                seen.onEvent(event);
                if (((ProcessEvent.Starting) event).attempt() % 2 == 0) {
                    throw new IllegalStateException("even " + ((ProcessEvent.Starting) event).attempt());
                }
            }
        });
        for (int i = 1; i <= 6; i++) {
            bus.publish(SampleEvents.numbered(i));
        }

        bus.drain();

        assertThat(seen.size()).isEqualTo(6);
        assertThat(failures).containsExactly("java.lang.IllegalStateException: even 2",
                "java.lang.IllegalStateException: even 4", "java.lang.IllegalStateException: even 6");
        assertThat(bus.stats().get(0).delivered()).isEqualTo(6);
    }

    @Test
    void oneNoticeWhenAListenerStartsDroppingThenOnlyTheCount() {
        EventBus bus = bus(Duration.ofHours(1));
        Blocked stuck = blocked();
        bus.subscribe(stuck, 1);
        bus.publish(SampleEvents.numbered(0));
        stuck.awaitEntered();
        for (int i = 1; i <= 6; i++) {
            bus.publish(SampleEvents.numbered(i)); // 1 queued, 5 dropped
        }
        awaitTrue(() -> notices.size() == 1);
        assertThat(notices.get(0)).startsWith(Blocked.class.getName() + ": its queue of 1 events is full");

        for (int i = 7; i <= 9; i++) {
            bus.publish(SampleEvents.numbered(i));
        }
        stuck.release();
        bus.close();

        assertThat(notices).hasSize(2); // the interval is an hour: nothing between the first line and close's
        java.util.regex.Matcher first = java.util.regex.Pattern.compile("\\((\\d) so far\\)$").matcher(notices.get(0));
        assertThat(first.find()).as(notices.get(0)).isTrue();
        int told = Integer.parseInt(first.group(1)); // 1..5: the reporter may look while the drops go on
        assertThat(notices.get(1)).isEqualTo(Blocked.class.getName() + ": " + (8 - told)
                + " more events dropped for it (8 in total)");
    }

    @Test
    void laterDropsAreToldAfterTheInterval() {
        EventBus bus = bus(Duration.ofMillis(20));
        Blocked stuck = blocked();
        bus.subscribe(stuck, 1);
        bus.publish(SampleEvents.numbered(0));
        stuck.awaitEntered();
        bus.publish(SampleEvents.numbered(1));
        bus.publish(SampleEvents.numbered(2));
        awaitTrue(() -> notices.size() == 1);

        bus.publish(SampleEvents.numbered(3));

        awaitTrue(() -> notices.size() == 2);
        assertThat(notices.get(1)).endsWith("1 more events dropped for it (2 in total)");
    }

    @Test
    void withoutANoticeCallbackNoticesGoToTheFailureCallback() {
        EventBus bus = new EventBus((listener, e) -> failures.add(e.toString()));
        buses.add(bus);
        Blocked stuck = blocked();
        bus.subscribe(stuck, 1);
        bus.publish(SampleEvents.numbered(0));
        stuck.awaitEntered();
        bus.publish(SampleEvents.numbered(1));
        bus.publish(SampleEvents.numbered(2));

        awaitTrue(() -> failures.size() == 1);
        assertThat(failures.get(0)).startsWith("its queue of 1 events is full");
    }

    @Test
    void closeDeliversWhatWasPublishedAndLeavesNoThreads() {
        EventBus bus = bus();
        List<Recording> listeners = List.of(new Recording(), new Recording(), new Recording());
        listeners.forEach(bus::subscribe);
        assertThat(eventThreads()).containsExactlyInAnyOrder("distarch-events-1", "distarch-events-2",
                "distarch-events-3", "distarch-events-notices");
        for (int i = 1; i <= 1000; i++) {
            bus.publish(SampleEvents.numbered(i));
        }

        bus.close();

        listeners.forEach(l -> assertThat(l.size()).isEqualTo(1000));
        assertThat(eventThreads()).isEmpty();
        bus.publish(SampleEvents.numbered(1001)); // ignored once closed
        listeners.forEach(l -> assertThat(l.size()).isEqualTo(1000));
    }

    @Test
    void closeGivesUpOnAListenerThatNeverReturns() {
        EventBus bus = new EventBus((listener, e) -> failures.add(e.toString()), (l, n) -> notices.add(n),
                Duration.ofHours(1), Duration.ofMillis(200));
        buses.add(bus);
        Blocked stuck = blocked(); // never released before close: only the interrupt ends it
        bus.subscribe(stuck, 4);
        for (int i = 0; i < 10; i++) {
            bus.publish(SampleEvents.numbered(i));
        }

        bus.close();

        assertThat(eventThreads()).isEmpty();
        assertThat(bus.stats().get(0).dropped()).isEqualTo(9); // 5 over capacity, 4 still queued at close
        assertThat(notices).last().asString().matches(".*\\(9 (so far|in total)\\)"); // told by the time close returns
    }

    @Test
    void aFilteredListenerQueuesAndCountsOnlyWhatItAccepts() {
        EventBus bus = bus();
        Blocked stuck = blocked();
        bus.subscribe(stuck, 2, e -> !(e instanceof QueueEvent));
        DistarchEvent queueEvent = new QueueEvent.ItemHandled(SampleEvents.T, SampleEvents.FEEDER, "i", 1, 2, null, false);
        bus.publish(SampleEvents.numbered(0));
        stuck.awaitEntered();
        for (int i = 0; i < 1000; i++) {
            bus.publish(queueEvent);
        }
        bus.publish(SampleEvents.numbered(1));
        bus.publish(SampleEvents.numbered(2));

        assertThat(bus.stats()).containsExactly(new ListenerStats(Blocked.class.getName(), 2, 2, 0, 0));
        stuck.release();
        bus.drain();
        assertThat(stuck.seen).containsExactly(SampleEvents.numbered(0), SampleEvents.numbered(1),
                SampleEvents.numbered(2));
    }

    @Test
    void itemEventsPublishedWhileHoldingReachListenersWhenTheBurstEndsInOrderOnEveryBus() {
        EventBus bus = bus();
        EventBus other = bus();
        Recording a = new Recording();
        Recording b = new Recording();
        Recording c = new Recording();
        bus.subscribe(a, 1000);
        bus.subscribe(b, 1000, e -> !e.equals(item(3)));
        other.subscribe(c, 1000);
        bus.publish(item(0));
        bus.drain();

        EventBus.holding(() -> {
            bus.publish(item(1));
            other.publish(item(100));
            EventBus.holding(() -> bus.publish(item(2))); // nested: joins the outer burst
            bus.publish(item(3));
            bus.drain(); // the held events are not published yet: nothing to wait for
            other.drain();
            assertThat(a.events()).containsExactly(item(0));
            assertThat(c.events()).isEmpty();
        });
        bus.drain();
        other.drain();

        assertThat(a.events()).containsExactly(item(0), item(1), item(2), item(3));
        assertThat(b.events()).containsExactly(item(0), item(1), item(2));
        assertThat(c.events()).containsExactly(item(100));
    }

    @Test
    void anyOtherEventInABurstGoesAtOnceAfterWhatWasHeldSoNothingItCausesCanOvertakeIt() {
        EventBus bus = bus();
        Recording a = new Recording();
        bus.subscribe(a, 1000);
        DistarchEvent listening = new QueueEvent.FeederListening(SampleEvents.T, SampleEvents.FEEDER, "127.0.0.1:7000");

        EventBus.holding(() -> {
            bus.publish(item(1));
            bus.publish(listening); // the master starts consumers on it: it must not wait for the burst's end
            bus.drain();
            assertThat(a.events()).containsExactly(item(1), listening);
            bus.publish(item(2));
            bus.drain();
            assertThat(a.events()).containsExactly(item(1), listening);
        });
        bus.drain();

        assertThat(a.events()).containsExactly(item(1), listening, item(2));
    }

    @Test
    void aBurstThatThrowsStillPublishesWhatItHeld() {
        EventBus bus = bus();
        Recording a = new Recording();
        bus.subscribe(a, 1000);

        assertThatThrownBy(() -> EventBus.holding(() -> {
            bus.publish(item(1));
            throw new IllegalStateException("a line handler failed");
        })).hasMessage("a line handler failed");
        bus.publish(item(2)); // no longer held
        bus.drain();

        assertThat(a.events()).containsExactly(item(1), item(2));
    }

    @Test
    void aHeldBurstLargerThanTheRoomLeftLosesItsLastEventsCountedExactly() {
        EventBus bus = bus();
        Blocked stuck = blocked();
        bus.subscribe(stuck, 10, e -> !(e instanceof QueueEvent.ItemHandled));
        bus.publish(item(0));
        stuck.awaitEntered();
        bus.publish(item(1));
        DistarchEvent handled = new QueueEvent.ItemHandled(SampleEvents.T, SampleEvents.FEEDER, "i", 1, 2, null, false);

        EventBus.holding(() -> {
            for (int i = 2; i < 30; i++) {
                bus.publish(item(i));
                bus.publish(handled); // not accepted: neither queued nor counted
            }
        });

        assertThat(bus.stats()).containsExactly(new ListenerStats(Blocked.class.getName(), 10, 10, 0, 19));
        stuck.release();
        bus.drain();
        List<DistarchEvent> expected = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            expected.add(item(i));
        }
        assertThat(stuck.seen).containsExactlyElementsOf(expected);
        assertThat(bus.stats().get(0)).isEqualTo(new ListenerStats(Blocked.class.getName(), 10, 0, 11, 19));
    }

    @Test
    void aLongBurstIsDeliveredWholeAndInOrder() {
        EventBus bus = bus();
        Recording a = new Recording();
        bus.subscribe(a, 100_000);
        List<DistarchEvent> published = new ArrayList<>();
        for (int burst = 0; burst < 100; burst++) {
            int first = burst * 700;
            EventBus.holding(() -> {
                for (int i = first; i < first + 700; i++) {
                    DistarchEvent e = item(i);
                    published.add(e);
                    bus.publish(e);
                }
            });
        }
        bus.drain();

        assertThat(a.events()).containsExactlyElementsOf(published);
        assertThat(bus.stats().get(0).delivered()).isEqualTo(70_000);
    }

    private static DistarchEvent item(int n) {
        return new QueueEvent.ItemReceived(SampleEvents.T, SampleEvents.CONSUMER, "item-" + n, 1, null, false);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private EventBus bus() {
        return bus(Duration.ofMinutes(1));
    }

    private EventBus bus(Duration noticeInterval) {
        EventBus bus = new EventBus((listener, e) -> failures.add(e.toString()),
                (listener, notice) -> notices.add(listener.getClass().getName() + ": " + notice), noticeInterval,
                Duration.ofSeconds(5));
        buses.add(bus);
        return bus;
    }

    private Blocked blocked() {
        Blocked b = new Blocked();
        blocked.add(b);
        return b;
    }

    private static List<String> eventThreads() {
        List<String> names = new ArrayList<>();
        Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("distarch-events")).forEach(names::add);
        return names;
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within " + WAIT).isLessThan(deadline);
            sleep(2);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static class Recording implements DistarchListener {
        private final List<DistarchEvent> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onEvent(DistarchEvent event) {
            events.add(event);
        }

        int size() {
            return events.size();
        }

        List<DistarchEvent> events() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }
    }

    /** Blocks in its first event until released. */
    static final class Blocked implements DistarchListener {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        final List<DistarchEvent> seen = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(DistarchEvent event) {
            seen.add(event);
            entered.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitEntered() {
            try {
                assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        void release() {
            released.countDown();
        }
    }
}
