package org.distarch.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own settings, under {@code distarch:}. The fleet itself is configured under
 * {@code distributed-architecture:} with the seed's keys, or in a seed-format file named by
 * {@code distarch.config-file}.
 */
@ConfigurationProperties("distarch")
public class DistarchProperties {

    /** A seed-format configuration file to use instead of the {@code distributed-architecture:} settings. */
    private String configFile;

    private final Master master = new Master();

    private final Admin admin = new Admin();

    public String getConfigFile() {
        return configFile;
    }

    public void setConfigFile(String configFile) {
        this.configFile = configFile;
    }

    public Master getMaster() {
        return master;
    }

    public Admin getAdmin() {
        return admin;
    }

    /**
     * The admin page and HTTP API of the master run inside this application ({@code distarch.admin.*}); none by
     * default. Either served by this application's own server under a path of it, or by the master's own server
     * (as {@code run-master}'s). Users, tokens and TLS of the master's server come from the fleet's {@code admin:}
     * settings either way.
     */
    public static class Admin {
        /**
         * Serve the page and API under this path of the application's server ({@code /distarch}: the page at
         * {@code /distarch/}, the API at {@code /distarch/api/v1/...}), with the same auth as on the master's own
         * server. A server reachable beyond loopback ({@code server.address} unset or not loopback) needs TLS
         * ({@code server.ssl}) and {@code admin.users} or {@code admin.tokens} in the fleet's configuration.
         */
        private String mountPath;
        /** Run the master's own admin server instead, at the fleet's {@code admin.bind} and {@code admin.port}. */
        private boolean server;

        public String getMountPath() {
            return mountPath;
        }

        public void setMountPath(String mountPath) {
            this.mountPath = mountPath;
        }

        public boolean isServer() {
            return server;
        }

        public void setServer(boolean server) {
            this.server = server;
        }
    }

    /** The master run as an {@code ApplicationRunner} ({@code distarch.master.*}). */
    public static class Master {
        /** Run the master inside this application once it has started (stopped when the context closes). */
        private boolean enabled;
        /** As {@code run-master --max-running-time}: stop every process after this long (0: no limit). */
        private Duration maxRunningTime = Duration.ZERO;
        /** As {@code --max-process-timeout}: consecutive silence timeouts before a process is removed. */
        private int maxProcessTimeout = 3;
        /** As {@code --timeout}: the fleet's silence limit and the grace a stop gives processes. */
        private Duration timeout = Duration.ofSeconds(300);
        /** As {@code --service}: groups whose processes all ended start again; the fleet never ends by itself. */
        private boolean service;
        /** The control socket for {@code distarch status}, {@code suspend}, ... (none when unset). */
        private String controlSocket;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getMaxRunningTime() {
            return maxRunningTime;
        }

        public void setMaxRunningTime(Duration maxRunningTime) {
            this.maxRunningTime = maxRunningTime;
        }

        public int getMaxProcessTimeout() {
            return maxProcessTimeout;
        }

        public void setMaxProcessTimeout(int maxProcessTimeout) {
            this.maxProcessTimeout = maxProcessTimeout;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public boolean isService() {
            return service;
        }

        public void setService(boolean service) {
            this.service = service;
        }

        public String getControlSocket() {
            return controlSocket;
        }

        public void setControlSocket(String controlSocket) {
            this.controlSocket = controlSocket;
        }
    }
}
