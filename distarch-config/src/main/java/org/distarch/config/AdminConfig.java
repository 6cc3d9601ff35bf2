package org.distarch.config;

import java.util.List;
import java.util.Map;

/**
 * The master's HTTP API and admin page ({@code distributed_architecture.admin}, a distarch extension). Safe by
 * default: on at 127.0.0.1:8642, and with no users configured the master makes a random access token at start.
 *
 * @param bind    the address to listen on (default 127.0.0.1); a non-loopback address needs TLS and users
 * @param port    the TCP port (default 8642); 0 turns the server off
 * @param tls     HTTPS settings, or null for plain HTTP
 * @param users   people who log in with a password, by user name (file order)
 * @param tokens  API tokens whose values come from the master's environment
 * @param history where the history of the fleet is kept
 */
public record AdminConfig(String bind, int port, AdminTls tls, Map<String, AdminUser> users, List<AdminToken> tokens,
        HistoryConfig history) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8642;

    /** No {@code admin:} section: the defaults. */
    public static final AdminConfig DEFAULT =
            new AdminConfig(DEFAULT_BIND, DEFAULT_PORT, null, Map.of(), List.of(), HistoryConfig.DEFAULT);

    public AdminConfig {
        users = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(users));
        tokens = List.copyOf(tokens);
    }
}
