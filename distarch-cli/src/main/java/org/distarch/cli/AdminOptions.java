package org.distarch.cli;

import org.distarch.config.AdminConfig;
import picocli.CommandLine.Option;

/**
 * {@code --admin-bind} and {@code --admin-port} of {@code run-master}: where the HTTP API listens, over the
 * file's {@code admin.bind} and {@code admin.port}. {@code DISTARCH_ADMIN_PORT} in the environment is the
 * default of {@code --admin-port} (tests and scripts that start many masters set it to {@code auto}).
 */
final class AdminOptions {

    /** The API as this master runs it: off, or an address and a port (0: any free one). */
    record Resolved(boolean enabled, String bind, int port) {}

    @Option(names = "--admin-bind", paramLabel = "ADDRESS",
            description = "Address the HTTP API listens on (default: admin.bind of the file, else 127.0.0.1). "
                    + "A non-loopback address needs admin.tls and admin.users or admin.tokens.")
    String bind;

    @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "${env:DISTARCH_ADMIN_PORT}",
            description = "Port of the HTTP API: a number, auto (any free port; the URL is written beside the pid "
                    + "file), or 0 for no API (default: $DISTARCH_ADMIN_PORT, else admin.port of the file, else "
                    + AdminConfig.DEFAULT_PORT + ").")
    String port;

    /** @throws IllegalArgumentException when {@code --admin-port} is neither a port, auto nor 0 */
    Resolved resolve(AdminConfig file) {
        String address = bind != null && !bind.isBlank() ? bind : file.bind();
        if (port == null || port.isBlank()) {
            return new Resolved(file.port() != 0, address, file.port());
        }
        if (port.equals("auto")) {
            return new Resolved(true, address, 0);
        }
        try {
            int value = Integer.parseInt(port);
            if (value < 0 || value > 65535) {
                throw new NumberFormatException();
            }
            return new Resolved(value != 0, address, value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--admin-port must be a port (1 to 65535), auto, or 0 for no HTTP API "
                    + "(got \"" + port + "\")");
        }
    }
}
