package org.distarch.spring.boot;

import java.util.List;
import org.distarch.event.DistarchListener;
import org.distarch.worker.WorkerCommand;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Configuration;
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
 * application's command line, or inside the application with {@code distarch.master.enabled=true}, whose admin
 * page and API can be served under a path of the application's servlet container
 * ({@code distarch.admin.mount-path}).
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
            SpringConfigSource configSource, ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry,
            ConfigurableEnvironment environment) {
        return new EmbeddedMasterRunner(application, properties, configSource, registry, environment);
    }

    /**
     * {@code distarch.admin.mount-path}: the admin page and API under that path of the application's servlet
     * container (not in a worker process, which has no web server).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "jakarta.servlet.http.HttpServlet")
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnProperty(prefix = "distarch.admin", name = "mount-path")
    static class AdminMountConfiguration {
        @Bean
        ServletRegistrationBean<DistarchAdminServlet> distarchAdminServlet(DistarchProperties properties,
                ObjectProvider<EmbeddedMasterRunner> runner) {
            DistarchAdminServlet servlet = new DistarchAdminServlet(() -> Optional.ofNullable(runner.getIfAvailable())
                    .flatMap(EmbeddedMasterRunner::adminMount));
            ServletRegistrationBean<DistarchAdminServlet> registration = new ServletRegistrationBean<>(servlet,
                    properties.getAdmin().getMountPath() + "/*");
            registration.setName("distarchAdmin");
            return registration;
        }
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
