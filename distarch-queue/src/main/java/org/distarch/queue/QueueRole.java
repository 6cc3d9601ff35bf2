package org.distarch.queue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.distarch.queue.consumer.ConsumerOptions;
import org.distarch.queue.feeder.FeederOptions;
import org.distarch.worker.protocol.QueueEnv;

/**
 * A queue group process's part, read from the environment the master gave it ({@link QueueEnv}): feeder
 * options or consumer options. The one place that turns those variables into settings.
 */
sealed interface QueueRole {

    record AsFeeder(FeederOptions options) implements QueueRole {}

    record AsConsumer(ConsumerOptions options) implements QueueRole {}

    /**
     * @param name     how a consumer names itself to the feeder
     * @param globalId the process's global id, which a consumer tells the feeder
     * @throws IllegalArgumentException when a variable is missing or malformed (the message names it)
     */
    static QueueRole from(Map<String, String> env, String name, long globalId) {
        String role = env.get(QueueEnv.ROLE);
        if (role == null) {
            throw new IllegalArgumentException(QueueEnv.ROLE + " is not set: this command runs in a queue group "
                    + "(queue_groups in the configuration), as its feeder or one of its consumers");
        }
        String host = required(env, QueueEnv.HOST);
        int port = integer(env, QueueEnv.PORT, null, 0, 65535);
        String socket = blankToNull(env.get(QueueEnv.SOCKET));
        String secretText = env.get(QueueEnv.SECRET);
        byte[] secret = secretText == null || secretText.isEmpty() ? null : secretText.getBytes(StandardCharsets.UTF_8);
        int maxFrame = integer(env, QueueEnv.MAX_FRAME, 1 << 20, 1024, Integer.MAX_VALUE);
        Duration network = Duration.ofMillis(integer(env, QueueEnv.NETWORK_TIMEOUT_MILLIS, 10_000, 100, Integer.MAX_VALUE));
        switch (role) {
            case QueueEnv.FEEDER -> {
                int attempts = integer(env, QueueEnv.MAX_ATTEMPTS, 1, 1, 100);
                Duration empty = Duration.ofMillis(integer(env, QueueEnv.EMPTY_INTERVAL_MILLIS, 500, 1, Integer.MAX_VALUE));
                Duration drain = Duration.ofMillis(integer(env, QueueEnv.DRAIN_MILLIS, 9_000, 0, Integer.MAX_VALUE));
                return new AsFeeder(new FeederOptions(host, port, socket, secret, attempts, empty, maxFrame, network,
                        drain));
            }
            case QueueEnv.CONSUMER -> {
                int prefetch = integer(env, QueueEnv.PREFETCH, 1, 1, 1_000_000);
                return new AsConsumer(new ConsumerOptions(host, port, socket, secret, name, prefetch, maxFrame, network,
                        Math.max(0, globalId)));
            }
            default -> throw new IllegalArgumentException(QueueEnv.ROLE + " must be " + QueueEnv.FEEDER + " or "
                    + QueueEnv.CONSUMER + ", got \"" + role + "\"");
        }
    }

    private static String required(Map<String, String> env, String name) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static int integer(Map<String, String> env, String name, Integer fallback, int min, int max) {
        String text = blankToNull(env.get(name));
        if (text == null) {
            if (fallback == null) {
                throw new IllegalArgumentException(name + " is not set");
            }
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got \"" + text + "\"");
        }
    }
}
