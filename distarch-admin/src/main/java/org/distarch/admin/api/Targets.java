package org.distarch.admin.api;

import org.distarch.control.Target;

/**
 * The processes an action names, as the command line names them: {@code target} ({@code 7}, {@code A/2},
 * {@code A}, {@code @h1}), {@code host} (alone, or narrowing a group target to that host), or {@code all}.
 */
final class Targets {

    private Targets() {}

    static Target of(String target, String host, Boolean all) {
        boolean every = all != null && all;
        if (every && (target != null || host != null)) {
            throw ApiException.badRequest("\"all\": true names every process: give no target or host with it");
        }
        if (every) {
            return Target.all();
        }
        if (target == null && host == null) {
            throw ApiException.badRequest("name the processes: \"target\" (an id, GROUP/ID, GROUP or @HOST), "
                    + "\"host\" or \"all\": true");
        }
        try {
            Target t = target == null ? Target.host(host) : Target.parse(target);
            if (host != null && target != null) {
                if (t.id() != null) {
                    throw ApiException.badRequest("a process id names one process already: give no host with it");
                }
                if (t.host() != null) {
                    throw ApiException.badRequest("the target names a host already (" + target + "): give no host");
                }
                t = new Target(t.group(), null, t.groupId(), host);
            }
            return t;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad target: " + e.getMessage());
        }
    }
}
