package org.distarch.event;

import org.distarch.control.ControlPlane;

/**
 * Hears the fleet's events. Register one in code or list it in
 * {@code META-INF/services/org.distarch.event.DistarchListener}. Calls come from the listener's own thread
 * of the master's event bus, in the order the events happened, never from the supervision thread: a slow
 * listener delays only itself, and when it falls more than its queue's capacity behind, events for it are
 * dropped (and counted). A listener that throws is logged and keeps receiving events.
 *
 * <p>Override {@link #onEvent} to see everything, or only the methods you care about.
 *
 * <p>A listener can also steer the fleet, as the seed's listeners could: {@link #attached} hands it the
 * master's {@link ControlPlane} (suspend or resume a group or all, gracefully or by force, reload, stop),
 * the same operations as the {@code suspend}, {@code resume} and {@code stop} commands. Its methods are safe
 * to call from an event method and even to wait on there ({@code fleet.suspend("Mailer", false).join()}):
 * they run on the supervision thread, which never waits for a listener, and the events they cause are queued
 * for this listener to hear after it returns.
 */
public interface DistarchListener {

    /** The queue a listener gets unless it asks for another size. */
    int DEFAULT_QUEUE_CAPACITY = 8192;

    /**
     * How many events may wait for this listener before new ones are dropped (and counted, and logged): a
     * slow listener lags alone, it never stalls supervision nor grows memory without bound. A listener that
     * must see every event even in a burst (an audit trail, a test recorder) asks for more.
     */
    default int queueCapacity() {
        return DEFAULT_QUEUE_CAPACITY;
    }

    /**
     * Whether this listener hears {@code event} at all: one it does not want is never queued for it, so its
     * thread is not woken for it. A listener that cares about lifecycle events only (not the two events per
     * queue item of a busy queue) says so here and costs the master nothing for the items. Called on the
     * publishing thread for every event: it must be quick, never block and not throw (a throw counts as yes).
     * True for every event by default.
     */
    default boolean wants(DistarchEvent event) {
        return true;
    }

    /**
     * Called once, before this listener hears any event, with the master it listens to (on the thread that
     * builds the master). Keep the handle to act on the fleet from the event methods; see the class comment.
     * A stop asked through it is logged as asked by this listener. Does nothing by default.
     */
    default void attached(ControlPlane fleet) {}

    default void onEvent(DistarchEvent event) {
        if (event instanceof MasterEvent.Starting e) {
            onMasterStarting(e);
        } else if (event instanceof MasterEvent.Started e) {
            onMasterStarted(e);
        } else if (event instanceof MasterEvent.Running e) {
            onMasterRunning(e);
        } else if (event instanceof MasterEvent.Stopped e) {
            onMasterStopped(e);
        } else if (event instanceof ProcessEvent.Created e) {
            onProcessCreated(e);
        } else if (event instanceof ProcessEvent.Starting e) {
            onProcessStarting(e);
        } else if (event instanceof ProcessEvent.Started e) {
            onProcessStarted(e);
        } else if (event instanceof ProcessEvent.Running e) {
            onProcessRunning(e);
        } else if (event instanceof ProcessEvent.Stopping e) {
            onProcessStopping(e);
        } else if (event instanceof ProcessEvent.TimedOut e) {
            onProcessTimedOut(e);
        } else if (event instanceof ProcessEvent.Stopped e) {
            onProcessStopped(e);
        } else if (event instanceof QueueEvent.FeederListening e) {
            onFeederListening(e);
        } else if (event instanceof QueueEvent.ConsumersConnected e) {
            onConsumersConnected(e);
        } else if (event instanceof QueueEvent.ItemReceived e) {
            onQueueItemReceived(e);
        } else if (event instanceof QueueEvent.ItemHandled e) {
            onQueueItemHandled(e);
        } else if (event instanceof QueueEvent.ItemFailed e) {
            onQueueItemFailed(e);
        }
    }

    default void onMasterStarting(MasterEvent.Starting event) {}

    default void onMasterStarted(MasterEvent.Started event) {}

    default void onMasterRunning(MasterEvent.Running event) {}

    default void onMasterStopped(MasterEvent.Stopped event) {}

    default void onProcessCreated(ProcessEvent.Created event) {}

    default void onProcessStarting(ProcessEvent.Starting event) {}

    default void onProcessStarted(ProcessEvent.Started event) {}

    default void onProcessRunning(ProcessEvent.Running event) {}

    default void onProcessStopping(ProcessEvent.Stopping event) {}

    default void onProcessTimedOut(ProcessEvent.TimedOut event) {}

    default void onProcessStopped(ProcessEvent.Stopped event) {}

    default void onFeederListening(QueueEvent.FeederListening event) {}

    default void onConsumersConnected(QueueEvent.ConsumersConnected event) {}

    default void onQueueItemReceived(QueueEvent.ItemReceived event) {}

    default void onQueueItemHandled(QueueEvent.ItemHandled event) {}

    default void onQueueItemFailed(QueueEvent.ItemFailed event) {}
}
