package org.distarch.spring.boot;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The fleet's health on Spring Boot 4 ({@code org.springframework.boot.health.contributor}). */
final class Boot4HealthIndicator implements HealthIndicator {

    private final FleetView view;

    Boot4HealthIndicator(FleetView view) {
        this.view = view;
    }

    @Override
    public Health health() {
        FleetView.HealthView health = view.health();
        return Health.status(health.status()).withDetails(health.details()).build();
    }
}
