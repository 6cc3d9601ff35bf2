package org.distarch.master;

import java.util.ArrayList;
import java.util.List;
import org.distarch.instance.InstanceState;
import org.distarch.supervise.InstanceSupervisor;
import org.distarch.supervise.Scheduler;

/**
 * The one way a {@link Reconciler} plan changes the fleet, for {@link FleetRunner#apply}: start-up, suspend,
 * resume, an operator's start, stop, restart and signal, a rolling restart's steps, reload and shutdown. Confined
 * to the supervision thread.
 */
final class PlanApplier {

    private final FleetRunner runner;
    private final Fleet fleet;
    private final FeederGate gate;
    private final Scheduler scheduler;

    PlanApplier(FleetRunner runner, Fleet fleet, FeederGate gate, Scheduler scheduler) {
        this.runner = runner;
        this.fleet = fleet;
        this.gate = gate;
        this.scheduler = scheduler;
    }

    /** How many instances one supervision task starts or stops: a plan for a thousand never stalls the thread. */
    static final int SLICE = 64;

    /**
     * Carries out a plan. The fleet changes at once (new members join, retiring ones are marked); the starts and
     * stops themselves run {@link #SLICE} at a time, each slice a task of its own, so that timers and other
     * instances' events get their turn between them. Starts go through the feeder gate, so consumers wait for
     * their feeder.
     */
    void apply(List<Change> changes) {
        List<InstanceSupervisor> toStart = new ArrayList<>();
        List<InstanceSupervisor> toRevive = new ArrayList<>();
        List<Runnable> actions = new ArrayList<>();
        for (Change change : changes) {
            if (change instanceof Change.Start start) {
                InstanceSupervisor s = fleet.add(start.plan());
                String hold = runner.startHold(s.identity());
                if (hold != null) {
                    s.holdBeforeStart(hold);
                } else if (fleet.isSuspended(s.identity().group())) {
                    s.stayDown("its group is suspended");
                } else {
                    toStart.add(s);
                }
            } else if (change instanceof Change.Hold hold) {
                fleet.byId(hold.process().id()).ifPresent(s -> {
                    s.holdUnstopped(hold.held()); // at once; the stop may wait for the feeder's
                    nowOrAfterFeeder(hold.afterFeeder(), s, actions, () -> {
                        if (s.held() != null) { // unless started again meanwhile
                            s.hold(s.held(), hold.grace());
                        }
                    });
                });
            } else if (change instanceof Change.Release release) {
                fleet.byId(release.process().id()).ifPresent(s -> {
                    s.release(); // at once: a consumer waiting at the feeder gate must find it lifted
                    toRevive.add(s);
                });
            } else if (change instanceof Change.Restart restart) {
                fleet.byId(restart.process().id()).ifPresent(s -> nowOrAfterFeeder(restart.afterFeeder(), s,
                        actions, () -> {
                            if (s.state() == InstanceState.RUNNING) {
                                s.restart(restart.reason());
                            } else {
                                s.resume();
                            }
                        }));
            } else if (change instanceof Change.Signal signal) {
                fleet.byId(signal.process().id()).ifPresent(s -> actions.add(() -> s.signal(signal.signal())));
            } else if (change instanceof Change.Revive revive) {
                fleet.byId(revive.process().id()).ifPresent(toRevive::add);
            } else if (change instanceof Change.Halt halt) {
                fleet.byId(halt.process().id()).ifPresent(s -> {
                    Runnable stop = () -> s.stop(halt.reason(), halt.grace(), halt.killMessage());
                    if (halt.afterFeeder()) {
                        String group = s.identity().group();
                        // Unless the halt is over by then: the group was resumed while its feeder stopped.
                        gate.afterFeederStops(group, () -> {
                            if (!runner.state().accepting() || fleet.isSuspended(group)) {
                                stop.run();
                            }
                        });
                    } else {
                        actions.add(stop);
                    }
                });
            } else if (change instanceof Change.Stop stop) {
                fleet.byId(stop.process().id()).ifPresent(s -> {
                    fleet.retire(s, null);
                    nowOrAfterFeeder(stop.afterFeeder(), s, actions,
                            () -> stopRetiring(s, "reload: " + stop.reason()));
                });
            } else if (change instanceof Change.Replace replace) {
                fleet.byId(replace.old().id()).ifPresent(old -> {
                    InstanceSupervisor successor = fleet.add(replace.plan());
                    if (old.held() != null) {
                        successor.holdBeforeStart(old.held()); // a held process stays down in its new version
                    }
                    fleet.retire(old, () -> {
                        if (fleet.isSuspended(successor.identity().group())) {
                            successor.stayDown("its group is suspended");
                        } else if (runner.state().accepting()) {
                            successor.start();
                        }
                    });
                    nowOrAfterFeeder(replace.afterFeeder(), old, actions,
                            () -> stopRetiring(old, "reload: " + replace.reason()));
                });
            }
        }
        gate.start(toStart, s -> actions.add(s::start));
        gate.start(toRevive, s -> actions.add(s::resume));
        runSliced(actions, 0);
    }

    /**
     * Runs {@code action} with the plan's other actions, or, for a consumer whose stop waits for its feeder's
     * ({@code afterFeeder}), once that feeder has stopped.
     */
    private void nowOrAfterFeeder(boolean afterFeeder, InstanceSupervisor s, List<Runnable> actions,
            Runnable action) {
        if (afterFeeder) {
            gate.afterFeederStops(s.identity().group(), action);
        } else {
            actions.add(action);
        }
    }

    /** Stops an instance a reload retires; one already down (suspended, held, ended) leaves the fleet at once. */
    private void stopRetiring(InstanceSupervisor s, String reason) {
        if (s.state().isTerminal()) {
            runner.settled(s);
        } else {
            s.stop(reason, s.plan().stopTimeout());
        }
    }

    private void runSliced(List<Runnable> actions, int from) {
        int to = Math.min(actions.size(), from + SLICE);
        for (int i = from; i < to; i++) {
            actions.get(i).run();
        }
        if (to < actions.size()) {
            scheduler.execute(() -> runSliced(actions, to));
        }
    }
}
