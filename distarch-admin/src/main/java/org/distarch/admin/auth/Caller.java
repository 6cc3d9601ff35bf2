package org.distarch.admin.auth;

import org.distarch.config.AdminRole;

/**
 * Who sent a request, once authenticated.
 *
 * @param name    the user's or token's name
 * @param role    what the caller may do
 * @param session the browser session the request came with, or null for a bearer token (no CSRF then: a
 *                browser never adds an Authorization header on its own)
 */
public record Caller(String name, AdminRole role, Sessions.Session session) {}
