package org.distarch.spring.boot;

import java.util.List;
import org.distarch.event.DistarchListener;
import org.distarch.worker.WorkerCommand;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * distarch in a Spring Boot application: the application's {@link WorkerCommand} beans are its worker commands
 * and its {@link DistarchListener} beans its listeners; the master's events are published as application
 * events; {@link DistarchFleet} is the control handle. The master runs from {@code run-master} on the
 * application's command line, or inside the application with {@code distarch.master.enabled=true}.
 */
@AutoConfiguration
@EnableConfigurationProperties(DistarchProperties.class)
public class DistarchAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public DistarchFleet distarchFleet() {
        return new DistarchFleet();
    }

    @Bean
    @ConditionalOnMissingBean
    public SpringConfigSource distarchConfigSource(ConfigurableEnvironment environment, DistarchProperties properties) {
        return new SpringConfigSource(environment, properties);
    }

    @Bean
    DistarchApplication distarchApplication(ConfigurableApplicationContext context, ObjectProvider<WorkerCommand> workers,
            ObjectProvider<DistarchListener> listeners, SpringConfigSource configSource,
            ApplicationEventPublisher publisher, DistarchFleet fleet) {
        List<DistarchListener> all = new java.util.ArrayList<>(listeners.orderedStream().toList());
        all.add(new SpringEventBridge(publisher, fleet));
        return new DistarchApplication(mainClass(context), workers.orderedStream().toList(), all, configSource);
    }

    @Bean
    DistarchCommandRunner distarchCommandRunner(DistarchApplication application, ConfigurableApplicationContext context) {
        return new DistarchCommandRunner(application, context);
    }

    @Bean
    @ConditionalOnProperty(prefix = "distarch.master", name = "enabled", havingValue = "true")
    EmbeddedMasterRunner distarchEmbeddedMaster(DistarchApplication application, DistarchProperties properties,
            SpringConfigSource configSource) {
        return new EmbeddedMasterRunner(application, properties, configSource);
    }

    /** The {@code @SpringBootApplication} class: workers are started through its {@code main}. */
    private static Class<?> mainClass(ConfigurableApplicationContext context) {
        String[] names = context.getBeanFactory().getBeanNamesForAnnotation(SpringBootConfiguration.class);
        for (String name : names) {
            Class<?> type = context.getBeanFactory().getType(name);
            if (type != null) {
                Class<?> user = ClassUtils.getUserClass(type);
                try {
                    user.getMethod("main", String[].class);
                    return user;
                } catch (NoSuchMethodException e) {
                    // a test configuration: keep looking
                }
            }
        }
        throw new IllegalStateException("distarch: no @SpringBootApplication class with a main method found; "
                + "workers are started through it");
    }
}
