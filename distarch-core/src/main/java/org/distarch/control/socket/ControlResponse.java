package org.distarch.control.socket;

import org.distarch.control.ControlResult;
import org.distarch.control.MasterStatus;
/** The answer on the control socket: a result for actions, a status for {@code status}. */
public record ControlResponse(ControlResult result, MasterStatus status) {}
