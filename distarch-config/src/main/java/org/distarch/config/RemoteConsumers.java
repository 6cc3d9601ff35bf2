package org.distarch.config;

import java.util.List;

/** One element of {@code consumers.remote}: instances on each of {@code hosts}, connecting to the feeder at host:port. */
public record RemoteConsumers(
        int instancesCount,
        String host,
        int port,
        String username,
        String privateKey,
        ProcessSettings settings,
        List<String> hosts) {}
