package org.distarch.supervise;

import java.time.Duration;
import org.distarch.event.ProcessIdentity;
import org.distarch.launch.LaunchSpec;
import org.distarch.config.RestartConfig;

/**
 * What one instance should be: who it is, how to launch it, and the timers that watch it.
 *
 * @param timeout     silence after which it is timed out
 * @param stopTimeout after a timeout, how long it may take to stop before it is killed
 */
public record InstancePlan(
        ProcessIdentity identity, LaunchSpec launch, Duration timeout, Duration stopTimeout, RestartConfig restart) {}
