package org.distarch.spring.boot;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The actuator side, when the application has Spring Boot Actuator: the {@code distarch} health indicator
 * (the fleet's state; a process given up makes it DOWN) on whichever Boot line is present, and the
 * {@code distarch} endpoint. The metrics in the application's Micrometer registry and the admin page under
 * the application's server are not here yet.
 */
@AutoConfiguration(after = DistarchAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
public class DistarchActuatorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public DistarchEndpoint distarchEndpoint(DistarchFleet fleet) {
        return new DistarchEndpoint(fleet);
    }

    /** Spring Boot 3: health indicators live in spring-boot-actuator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class Boot3Health {
        @Bean(name = "distarchHealthIndicator")
        @ConditionalOnMissingBean(name = "distarchHealthIndicator")
        Boot3HealthIndicator distarchHealthIndicator(DistarchFleet fleet) {
            return new Boot3HealthIndicator(new FleetView(fleet));
        }
    }

    /** Spring Boot 4: health indicators moved to spring-boot-health. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Boot4Health {
        @Bean(name = "distarchHealthIndicator")
        @ConditionalOnMissingBean(name = "distarchHealthIndicator")
        Boot4HealthIndicator distarchHealthIndicator(DistarchFleet fleet) {
            return new Boot4HealthIndicator(new FleetView(fleet));
        }
    }
}
