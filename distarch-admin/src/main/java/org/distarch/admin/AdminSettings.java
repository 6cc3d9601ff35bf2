package org.distarch.admin;

import java.util.function.Function;
import org.distarch.config.AdminConfig;

/**
 * The admin server as this master runs it: the file's {@code admin} section with the command line's
 * {@code --admin-bind} and {@code --admin-port} applied.
 *
 * @param bind  the address to listen on
 * @param port  the port; 0 here means an ephemeral one ({@code --admin-port auto}); "off" never gets this far
 * @param admin the rest of the file's settings (TLS, users, tokens)
 * @param env   where the secrets' environment variables are read
 */
public record AdminSettings(String bind, int port, AdminConfig admin, Function<String, String> env) {}
