package org.distarch.control;

import java.util.List;

/** The answer to a control action: whether it was done, a one-line summary, and details (e.g. a reload's plan). */
public record ControlResult(boolean ok, String message, List<String> details) {

    public ControlResult {
        details = details == null ? List.of() : List.copyOf(details);
    }

    public static ControlResult done(String message) {
        return new ControlResult(true, message, List.of());
    }

    public static ControlResult refused(String message) {
        return new ControlResult(false, message, List.of());
    }
}
