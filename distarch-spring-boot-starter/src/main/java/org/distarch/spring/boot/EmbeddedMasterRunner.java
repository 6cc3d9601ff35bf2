package org.distarch.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.distarch.admin.mount.AdminMount;
import org.distarch.cli.EmbeddedMaster;
import org.distarch.config.DistarchConfig;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;

/**
 * With {@code distarch.master.enabled=true}: runs the master inside the application once it has started (on
 * a thread of its own, beside the web server), with the options under {@code distarch.master.*}; closing the
 * context stops the fleet gracefully. An invalid configuration fails the application's start with every
 * error. Stays off when the application was started with a distarch command (a worker, {@code run-master}).
 * The fleet's meters go to the application's {@link MeterRegistry} when it has one (so the actuator's
 * {@code /actuator/metrics} and {@code /actuator/prometheus} show {@code distarch.*}), and its admin page and
 * API are served as {@code distarch.admin.*} says: under a path of this application's server (through
 * {@link DistarchAdminServlet}), on the master's own server, or not at all (the default).
 */
final class EmbeddedMasterRunner implements ApplicationRunner, DisposableBean {

    private final DistarchApplication application;
    private final DistarchProperties.Master settings;
    private final SpringConfigSource configSource;
    private final DistarchProperties.Admin admin;
    private final ObjectProvider<MeterRegistry> registry;
    private final Environment environment;
    private volatile EmbeddedMaster master;

    EmbeddedMasterRunner(DistarchApplication application, DistarchProperties properties,
            SpringConfigSource configSource, ObjectProvider<MeterRegistry> registry, Environment environment) {
        this.application = application;
        this.settings = properties.getMaster();
        this.admin = properties.getAdmin();
        this.configSource = configSource;
        this.registry = registry;
        this.environment = environment;
    }

    /** The admin page and API for {@link DistarchAdminServlet}, while the master runs with a mount. */
    Optional<AdminMount> adminMount() {
        EmbeddedMaster running = master;
        return running == null ? Optional.empty() : running.adminMount();
    }

    @Override
    public void run(ApplicationArguments arguments) {
        if (DistarchCommandRunner.isCommand(application, List.of(arguments.getSourceArgs()))) {
            return;
        }
        DistarchConfig config = configSource.get();
        EmbeddedMaster.Builder builder = application.embedded(config).options(settings.getMaxRunningTime(),
                settings.getMaxProcessTimeout(), settings.getTimeout(), settings.isService());
        if (settings.getControlSocket() != null && !settings.getControlSocket().isBlank()) {
            builder.controlSocket(Path.of(settings.getControlSocket()).toAbsolutePath());
        }
        MeterRegistry meters = registry.getIfUnique();
        if (meters != null) {
            builder.meterRegistry(meters);
        }
        String mountPath = admin.getMountPath();
        if (mountPath != null && !mountPath.isBlank()) {
            if (admin.isServer()) {
                throw new IllegalStateException("distarch: distarch.admin.mount-path and distarch.admin.server are "
                        + "both set; the admin page is served by one of them: choose one");
            }
            builder.adminMount(servletContextPath() + mountPath, hostLoopback(), hostTls());
        } else if (admin.isServer()) {
            builder.adminServer(config.admin().bind(), config.admin().port());
        }
        master = builder.start();
    }

    /** {@code server.servlet.context-path}, as the request URIs the servlet container hands over begin with it. */
    private String servletContextPath() {
        String path = environment.getProperty("server.servlet.context-path", "");
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** Whether the application's server listens on a loopback address only ({@code server.address}). */
    private boolean hostLoopback() {
        String address = environment.getProperty("server.address");
        if (address == null || address.isBlank()) {
            return false; // every interface
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether the application's server serves HTTPS ({@code server.ssl} with a bundle, key store or certificate). */
    private boolean hostTls() {
        if (!environment.getProperty("server.ssl.enabled", Boolean.class, true)) {
            return false;
        }
        return environment.containsProperty("server.ssl.bundle") || environment.containsProperty("server.ssl.key-store")
                || environment.containsProperty("server.ssl.certificate");
    }

    @Override
    public void destroy() {
        EmbeddedMaster running = master;
        if (running != null) {
            running.close();
        }
    }
}
