package org.distarch.config;

/** A group's {@code local:} entry: instances on the master's own machine. */
public record LocalEntry(int instancesCount, ProcessSettings settings) {}
