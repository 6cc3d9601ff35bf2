package org.distarch.launch;

/**
 * Where a remote instance runs: the host, the SSH login and key ({@code null}: OpenSSH's own defaults and
 * the user's ~/.ssh/config), and which {@code remote:} entry of its group it comes from. Instances with the
 * same group and target share one SSH session and one relay.
 */
public record RemoteTarget(String host, String username, String privateKey, int entry) {}
