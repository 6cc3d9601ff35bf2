package org.distarch.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.function.Function;
import org.distarch.config.AdminTls;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The server's TLS settings from a key store, or from a PEM certificate chain and a PKCS#8 private key. */
final class TlsContexts {

    private TlsContexts() {}

    static SslContextFactory.Server of(AdminTls tls, Function<String, String> env) throws AdminStartException {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        if (tls.keystore() != null) {
            Path file = Path.of(tls.keystore());
            if (!Files.isReadable(file)) {
                throw new AdminStartException("admin.tls.keystore " + file.toAbsolutePath() + " cannot be read");
            }
            String password = env.apply(tls.keystorePasswordEnv());
            if (password == null) {
                throw new AdminStartException("admin.tls: the environment variable " + tls.keystorePasswordEnv()
                        + " (the key store's password) is not set");
            }
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore store = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
                store.load(in, password.toCharArray());
                ssl.setKeyStore(store);
                ssl.setKeyStorePassword(password);
            } catch (IOException | GeneralSecurityException e) {
                throw new AdminStartException("admin.tls.keystore " + file.toAbsolutePath() + ": " + e.getMessage());
            }
        } else {
            ssl.setKeyStore(pem(Path.of(tls.certificate()), Path.of(tls.privateKey())));
            ssl.setKeyStorePassword("");
        }
        return ssl;
    }

    private static KeyStore pem(Path certificate, Path privateKey) throws AdminStartException {
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(certificate)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(new Certificate[0]);
        } catch (IOException | GeneralSecurityException e) {
            throw new AdminStartException("admin.tls.certificate " + certificate.toAbsolutePath()
                    + " is not a readable PEM certificate: " + e.getMessage());
        }
        if (chain.length == 0) {
            throw new AdminStartException("admin.tls.certificate " + certificate.toAbsolutePath()
                    + " holds no certificate");
        }
        try {
            String text = Files.readString(privateKey, StandardCharsets.US_ASCII);
            int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
            int end = text.indexOf("-----END PRIVATE KEY-----");
            if (begin < 0 || end < begin) {
                throw new AdminStartException("admin.tls.private_key " + privateKey.toAbsolutePath() + " is not an "
                        + "unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with: openssl pkcs8 -topk8 "
                        + "-nocrypt -in KEY -out key.pem");
            }
            byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
            String algorithm = chain[0].getPublicKey().getAlgorithm();
            PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("distarch", key, new char[0], chain);
            return store;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new AdminStartException("admin.tls.private_key " + privateKey.toAbsolutePath() + ": " + e.getMessage());
        }
    }
}
