package org.distarch.control;

/** The answer on the control socket: a result for actions, a status for {@code status}. */
public record ControlResponse(ControlResult result, MasterStatus status) {}
