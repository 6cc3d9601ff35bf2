package org.distarch.config;

/**
 * A person who logs in to the admin API with a password.
 *
 * @param passwordHash the password's BCrypt hash ({@code distarch admin:hash-password} prints one)
 * @param role         what the user may do
 */
public record AdminUser(String passwordHash, AdminRole role) {}
