package org.distarch.instance;

import java.time.Instant;

/** One recorded state change: from, to, when and why. */
public record Transition(InstanceState from, InstanceState to, Instant at, String reason) {}
