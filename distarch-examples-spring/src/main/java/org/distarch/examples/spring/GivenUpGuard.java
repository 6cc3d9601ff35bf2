package org.distarch.examples.spring;

import org.distarch.event.ProcessEvent;
import org.distarch.spring.boot.DistarchFleet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Hears the master's events as Spring application events and steers the fleet: a group one of whose processes
 * was given up is suspended (its other processes stopped) until an operator resumes it.
 */
@Component
public class GivenUpGuard {

    private static final Logger LOG = LoggerFactory.getLogger(GivenUpGuard.class);

    private final DistarchFleet fleet;

    public GivenUpGuard(DistarchFleet fleet) {
        this.fleet = fleet;
    }

    @EventListener
    public void onStarted(ProcessEvent.Started event) {
        LOG.info("{} started (pid {})", event.process().display(), event.pid());
    }

    @EventListener
    public void onStopped(ProcessEvent.Stopped event) {
        if (event.outcome() == ProcessEvent.Outcome.FAILED) {
            LOG.warn("{} was given up: suspending group {}", event.process().display(), event.process().group());
            fleet.suspend(event.process().group(), false).join();
        }
    }
}
