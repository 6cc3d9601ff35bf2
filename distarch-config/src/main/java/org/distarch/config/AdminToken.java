package org.distarch.config;

/**
 * An API token: the file names it and the environment variable that holds its value, never the value itself.
 *
 * @param name the token's name, as the audit shows who acted
 * @param role what a request with this token may do
 * @param env  the master's environment variable holding the token's value
 */
public record AdminToken(String name, AdminRole role, String env) {}
