package org.distarch.config;

/**
 * HTTPS for the admin server: a key store (PKCS12 or JKS), or a PEM certificate chain and its unencrypted
 * PKCS#8 private key. Exactly one of the two forms is given (the validator checks it).
 *
 * @param keystore            the key store file, or null
 * @param keystorePasswordEnv the environment variable holding the key store's password
 * @param certificate         the PEM certificate chain file, or null
 * @param privateKey          the PEM private key file, or null
 */
public record AdminTls(String keystore, String keystorePasswordEnv, String certificate, String privateKey) {

    public static final String DEFAULT_PASSWORD_ENV = "DISTARCH_ADMIN_KEYSTORE_PASSWORD";
}
