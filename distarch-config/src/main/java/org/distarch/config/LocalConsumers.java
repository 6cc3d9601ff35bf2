package org.distarch.config;

/**
 * {@code consumers.local}: consumer instances on the master's machine, connecting to the feeder at host:port
 * ({@code host} defaults to localhost, {@code port} to the group's feeder port).
 */
public record LocalConsumers(int instancesCount, String host, int port, ProcessSettings settings) {}
