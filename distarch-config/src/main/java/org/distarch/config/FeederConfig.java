package org.distarch.config;

/**
 * A queue group's feeder: {@code local_feeder} ({@code host == null}) or {@code remote_feeder}
 * (exactly one host, with its optional username and private key); {@code bindTo} defaults to localhost.
 */
public record FeederConfig(
        String bindTo, int port, ProcessSettings settings, String host, String username, String privateKey) {

    public boolean isRemote() {
        return host != null;
    }
}
