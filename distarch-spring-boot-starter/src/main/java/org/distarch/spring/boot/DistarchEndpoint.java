package org.distarch.spring.boot;

import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/distarch}: the master's status as {@code distarch status --json} shows it (every process
 * with its state, pid, restarts, last output, CPU and memory), or {@code {"state": "NONE"}} when no master runs
 * in this application. Exposed like any endpoint ({@code management.endpoints.web.exposure.include}).
 */
@Endpoint(id = "distarch")
public final class DistarchEndpoint {

    private final FleetView view;

    DistarchEndpoint(DistarchFleet fleet) {
        this.view = new FleetView(fleet);
    }

    @ReadOperation
    public Map<String, Object> status() {
        return view.status();
    }
}
