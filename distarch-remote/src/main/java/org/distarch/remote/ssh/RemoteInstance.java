package org.distarch.remote.ssh;

import java.time.Duration;
import org.distarch.event.ProcessEvent;
import org.distarch.instance.InstanceState;
import org.distarch.supervise.InstancePlan;
import org.distarch.supervise.Supervised;

/**
 * A remote process as the master sees it: the state its host's relay last reported. Its actions go to the
 * session, which speaks for all the instances of one group on one host.
 */
final class RemoteInstance implements Supervised {

    private final InstancePlan plan;
    private final HostSession session;
    private InstanceState state = InstanceState.CREATED;
    private long pid;
    private long startedAt;
    private int restarts;
    private volatile long lastOutput;
    private volatile String lastLine = "";

    RemoteInstance(InstancePlan plan, HostSession session) {
        this.plan = plan;
        this.session = session;
    }

    @Override
    public InstancePlan plan() {
        return plan;
    }

    @Override
    public InstanceState state() {
        return state;
    }

    @Override
    public boolean local() {
        return false;
    }

    @Override
    public void start() {
        session.start();
    }

    @Override
    public void resume() {
        session.start();
    }

    @Override
    public void stop(String reason, Duration grace) {
        session.stop(reason);
    }

    @Override
    public void kill() {
        session.kill();
    }

    @Override
    public void restart(String reason) {
        // max_memory of a remote process is watched by its host's relay, where /proc can be read.
    }

    @Override
    public long pid() {
        return state.hasProcess() ? pid : 0;
    }

    @Override
    public long startedAtMillis() {
        return state.hasProcess() ? startedAt : 0;
    }

    @Override
    public int restarts() {
        return restarts;
    }

    @Override
    public long lastOutputMillis() {
        return lastOutput;
    }

    @Override
    public String lastLine() {
        return lastLine;
    }

    void output(long epochMillis, String line) {
        lastOutput = epochMillis;
        lastLine = line;
    }

    /**
     * Follows the relay's report; true when this made the instance terminal. With {@code unasked}, a
     * "stopped" report (the relay lost its master) leaves the instance stopping: it is not over.
     */
    boolean apply(ProcessEvent event, boolean unasked) {
        InstanceState before = state;
        if (event instanceof ProcessEvent.Created) {
            state = InstanceState.CREATED;
        } else if (event instanceof ProcessEvent.Starting s) {
            state = InstanceState.STARTING;
            if (s.attempt() > 1 || before.isTerminal() || before == InstanceState.BACKOFF) {
                restarts++;
            }
        } else if (event instanceof ProcessEvent.Started s) {
            state = InstanceState.RUNNING;
            pid = s.pid();
            startedAt = s.time().toEpochMilli();
        } else if (event instanceof ProcessEvent.Stopping || event instanceof ProcessEvent.TimedOut) {
            state = InstanceState.STOPPING;
        } else if (event instanceof ProcessEvent.Stopped s) {
            state = unasked && s.outcome() == ProcessEvent.Outcome.STOPPED ? InstanceState.STOPPING : of(s.outcome());
        }
        return state.isTerminal() && !before.isTerminal();
    }

    /** The session ended without the relay saying what became of this instance. */
    boolean settle(ProcessEvent.Outcome outcome) {
        InstanceState before = state;
        state = of(outcome);
        return state.isTerminal() && !before.isTerminal();
    }

    static InstanceState of(ProcessEvent.Outcome outcome) {
        return switch (outcome) {
            case ENDED -> InstanceState.ENDED;
            case STOPPED -> InstanceState.STOPPED;
            case RESTARTING -> InstanceState.BACKOFF;
            case FAILED -> InstanceState.FAILED;
        };
    }
}
