package org.distarch.event;

/**
 * Hears the fleet's events. Register one in code or list it in
 * {@code META-INF/services/org.distarch.event.DistarchListener}. Calls come from the listener's own thread
 * of the master's event bus, in the order the events happened, never from the supervision thread: a slow
 * listener delays only itself, and when it falls more than its queue's capacity behind, events for it are
 * dropped (and counted). A listener that throws is logged and keeps receiving events.
 *
 * <p>Override {@link #onEvent} to see everything, or only the methods you care about.
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

    default void onQueueItemReceived(QueueEvent.ItemReceived event) {}

    default void onQueueItemHandled(QueueEvent.ItemHandled event) {}

    default void onQueueItemFailed(QueueEvent.ItemFailed event) {}
}
