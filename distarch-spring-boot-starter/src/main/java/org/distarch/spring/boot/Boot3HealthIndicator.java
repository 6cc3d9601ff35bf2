package org.distarch.spring.boot;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** The fleet's health on Spring Boot 3 ({@code org.springframework.boot.actuate.health}). */
final class Boot3HealthIndicator implements HealthIndicator {

    private final FleetView view;

    Boot3HealthIndicator(FleetView view) {
        this.view = view;
    }

    @Override
    public Health health() {
        FleetView.HealthView health = view.health();
        return Health.status(health.status()).withDetails(health.details()).build();
    }
}
