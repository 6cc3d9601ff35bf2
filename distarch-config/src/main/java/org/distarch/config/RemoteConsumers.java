package org.distarch.config;

import java.util.List;

/**
 * One element of {@code consumers.remote}: instances on each of {@code hosts}, connecting to the feeder at host:port
 * ({@code host} defaults to localhost, which is each of those hosts itself; {@code port} to the group's feeder port).
 */
public record RemoteConsumers(
        int instancesCount,
        String host,
        int port,
        String username,
        String privateKey,
        ProcessSettings settings,
        List<String> hosts) {}
