package org.distarch.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The warning rule on a queue group's addresses: a consumer entry that points at its feeder's address (the same
 * text as {@code bind_to}, both loopback, loopback against a wildcard {@code bind_to}, or a remote feeder's host
 * name) but on another port most likely waits for a feeder that never comes. It is allowed (the consumers may
 * belong to a feeder outside distarch), so it is a warning, not an error. A pure function over the records.
 */
final class FeederAddresses {

    private FeederAddresses() {}

    /** The warnings about {@code queue}, defined at {@code at}, in file order (local consumers, then remote). */
    static List<ConfigWarning> warnings(String source, KeyPath at, QueueGroupConfig queue) {
        FeederConfig feeder = queue.feeder();
        List<ConfigWarning> warnings = new ArrayList<>();
        if (feeder == null) {
            return warnings;
        }
        KeyPath consumers = at.key("consumers");
        LocalConsumers local = queue.localConsumers();
        if (local != null && mismatched(local.host(), local.port(), feeder)) {
            warnings.add(warning(source, consumers.key("local").key("port"), local.port(), feeder));
        }
        for (int i = 0; i < queue.remoteConsumers().size(); i++) {
            RemoteConsumers remote = queue.remoteConsumers().get(i);
            if (mismatched(remote.host(), remote.port(), feeder)) {
                warnings.add(warning(source, consumers.key("remote").index(i).key("port"), remote.port(), feeder));
            }
        }
        return warnings;
    }

    /** Whether consumers connecting to {@code host:port} reach the feeder's machine but not its port. */
    static boolean mismatched(String host, int port, FeederConfig feeder) {
        return port != feeder.port() && pointsAtFeeder(host, feeder);
    }

    static boolean pointsAtFeeder(String host, FeederConfig feeder) {
        String to = normal(host);
        String bindTo = normal(feeder.bindTo());
        return to.equals(bindTo)
                || isLoopback(to) && (isLoopback(bindTo) || isWildcard(bindTo))
                || feeder.isRemote() && to.equals(normal(feeder.host()));
    }

    static boolean isLoopback(String address) {
        return address.equals("localhost") || address.endsWith(".localhost") || address.equals("::1")
                || address.matches("127(\\.\\d{1,3}){3}");
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("*");
    }

    private static String normal(String address) {
        String text = address == null ? "" : address.trim().toLowerCase(Locale.ROOT);
        return text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    }

    private static ConfigWarning warning(String source, KeyPath path, int port, FeederConfig feeder) {
        return new ConfigWarning(source, path.toString(), port + ", but the group's feeder listens on port "
                + feeder.port() + " (consumers of another feeder?)");
    }
}
