package org.distarch.config;

import java.util.List;

/** One element of a group's {@code remote:} list: {@code instancesCount} instances on each of {@code hosts}. */
public record RemoteEntry(
        int instancesCount, String username, String privateKey, ProcessSettings settings, List<String> hosts) {}
