package org.distarch.worker;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The configuration of the group a worker belongs to, as its master passed it (the seed's
 * {@code $handler->getGroupConfig()}). Settings that a {@code local}, {@code remote}, feeder or consumers
 * entry overrides ({@code path}, {@code bin_path}, {@code priority}, {@code timeout}) hold the value this
 * process runs with. Settings the configuration leaves unset are empty, never null.
 *
 * @param name     the group's name; empty when the master did not say ({@code DA_GROUP_NAME})
 * @param command  the group's {@code command} as configured, e.g. {@code app:import --verbose}; the worker
 *                 command's own name when the master did not say ({@code DA_GROUP_COMMAND})
 * @param path     the configured working directory ({@code DA_PATH})
 * @param binPath  the configured {@code bin_path} ({@code DA_BIN_PATH})
 * @param priority the configured nice value, -19…19 ({@code DA_PRIORITY})
 * @param timeout  silence after which the master times this worker out ({@code DA_TIMEOUT}, default 30 s)
 * @param params   the group's {@code params} in configuration order, unmodifiable ({@code DA_PARAMS})
 */
public record GroupView(String name, String command, Optional<String> path, Optional<String> binPath,
        OptionalInt priority, Duration timeout, Map<String, Object> params) {

    public GroupView {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(binPath, "binPath");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(timeout, "timeout");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(params, "params")));
    }
}
