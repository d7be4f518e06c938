package io.brokerlink.gateway.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * The other shapes TLS material comes in, made from a {@link TestCertificates.Issued}: a JKS keystore (written with
 * {@link KeyStore} "JKS", no keytool), a PKCS12 keystore with its own password, an encrypted PKCS#8 key (PBES2 with
 * AES-256 and PBKDF2-HMAC-SHA256, what {@code openssl pkcs8 -topk8} writes today, encrypted by BouncyCastle so the
 * JDK's decryption is checked against another implementation), and atomic replacement of a served file.
 */
public final class TlsFiles {

    private TlsFiles() {
    }

    /** {@code issued}'s key and chain in a keystore of {@code type} (PKCS12 or JKS) protected by {@code password}. */
    public static Path keystore(TestCertificates.Issued issued, String type, String password, Path file) {
        try {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(null, null);
            ks.setKeyEntry(issued.name(), issued.key(), password.toCharArray(),
                    new Certificate[] {issued.certificate()});
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, password.toCharArray());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ca}'s certificate alone in a trust store of {@code type}. */
    public static Path truststore(TestCertificates.Authority ca, String type, String password, Path file) {
        try {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca.certificate());
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, password.toCharArray());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code issued}'s key as {@code -----BEGIN ENCRYPTED PRIVATE KEY-----} under {@code password}. */
    public static Path encryptedKey(TestCertificates.Issued issued, String password, Path file) {
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256).setProvider(new BouncyCastleProvider())
                    .setPassword(password.toCharArray()).build();
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(new JcaPKCS8Generator(issued.key(), encryptor));
            }
            Files.writeString(file, out.toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces {@code target} with {@code content} by rename, as cert-manager and secret mounts do. */
    public static void replace(Path target, byte[] content) {
        try {
            Path tmp = Files.createTempFile(target.getParent(), ".replace", ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
