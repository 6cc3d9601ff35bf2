package org.distarch.spring.boot;

import org.distarch.control.ControlPlane;
import org.distarch.event.DistarchEvent;
import org.distarch.event.DistarchListener;
import org.distarch.event.MasterEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes every event of the master (its own and remote hosts') to the application context, so that
 * {@code @EventListener void on(ProcessEvent.Started e)} hears it; Spring wraps each one in a
 * {@code PayloadApplicationEvent}. Delivery runs on this listener's own thread and bounded queue, as for any
 * {@link DistarchListener}: a slow {@code @EventListener} lags alone and never stalls supervision.
 */
final class SpringEventBridge implements DistarchListener {

    private final ApplicationEventPublisher publisher;
    private final DistarchFleet fleet;

    SpringEventBridge(ApplicationEventPublisher publisher, DistarchFleet fleet) {
        this.publisher = publisher;
        this.fleet = fleet;
    }

    @Override
    public void attached(ControlPlane plane) {
        fleet.attach(plane);
    }

    @Override
    public void onEvent(DistarchEvent event) {
        if (event instanceof MasterEvent master) {
            fleet.follow(master);
        }
        publisher.publishEvent(event);
    }
}
