package io.brokerlink.gateway.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time: a CA, server certificates whose SANs are the names clients connect to, and client
 * certificates, each written as PEM (certificate chain, unencrypted PKCS#8 key) and as a PKCS12 keystore, plus the
 * CA as a PKCS12 trust store. Nothing is checked in, so nothing expires in the repository.
 *
 * <pre>{@code
 * TestCertificates.Authority ca = TestCertificates.authority(dir, "BrokerLink test CA");
 * TestCertificates.Issued server = ca.server("broker", TestCertificates.brokerNames(DOMAIN, zones));
 * TestCertificates.Issued client = ca.client("alice");
 * }</pre>
 */
public final class TestCertificates {

    /** The password of every keystore and trust store this class writes (tests only). */
    public static final String STORE_PASSWORD = "test-store-secret";

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final Duration VALIDITY = Duration.ofDays(2);

    private TestCertificates() {
    }

    /** The SANs a broker certificate needs when brokers advertise {@code bN.<zone><domain>}: one wildcard per zone. */
    public static List<String> brokerNames(String domain, List<String> zones) {
        List<String> names = new ArrayList<>();
        for (String zone : zones) {
            names.add("*." + zone + domain);
        }
        names.add("bootstrap" + domain);
        names.add("localhost");
        return names;
    }

    /** A new self-signed CA whose files go to {@code dir} ({@code ca.pem}, {@code ca-truststore.p12}). */
    public static Authority authority(Path dir, String commonName) {
        try {
            Files.createDirectories(dir);
            KeyPair keys = newKeyPair();
            X500Name subject = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject,
                    keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate cert = sign(builder, keys.getPrivate());
            Path pem = dir.resolve("ca.pem");
            Files.writeString(pem, pem(cert));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", cert);
            Path truststore = dir.resolve("ca-truststore.p12");
            store(trust, truststore);
            return new Authority(dir, cert, keys, pem, truststore);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a test CA: " + e, e);
        }
    }

    /**
     * A certificate authority for tests.
     *
     * @param certificatePem the CA certificate as PEM
     * @param truststore     PKCS12 trust store holding the CA (password {@link #STORE_PASSWORD})
     */
    public record Authority(Path dir, X509Certificate certificate, KeyPair keys, Path certificatePem,
                            Path truststore) {

        /** A TLS server certificate valid for {@code dnsNames} (wildcards allowed) and 127.0.0.1. */
        public Issued server(String name, List<String> dnsNames) {
            return issue(name, "CN=" + dnsNames.get(0), dnsNames, KeyPurposeId.id_kp_serverAuth);
        }

        /** A TLS client certificate with subject {@code CN=<user>}. */
        public Issued client(String user) {
            return issue(user, "CN=" + user, List.of(), KeyPurposeId.id_kp_clientAuth);
        }

        private Issued issue(String name, String subject, List<String> dnsNames, KeyPurposeId purpose) {
            try {
                KeyPair keys = newKeyPair();
                Instant now = Instant.now();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        new X500Name(certificate.getSubjectX500Principal().getName()), serial(),
                        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)),
                        new X500Name(subject), keys.getPublic());
                JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        ext.createAuthorityKeyIdentifier(certificate));
                if (!dnsNames.isEmpty()) {
                    List<GeneralName> sans = new ArrayList<>();
                    dnsNames.forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
                    sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
                    builder.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(sans.toArray(GeneralName[]::new)));
                }
                X509Certificate cert = sign(builder, this.keys.getPrivate());
                Path certPem = dir.resolve(name + ".pem");
                Path keyPem = dir.resolve(name + "-key.pem");
                Files.writeString(certPem, pem(cert) + pem(certificate));
                Files.writeString(keyPem, pem(keys.getPrivate()));
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry(name, keys.getPrivate(), STORE_PASSWORD.toCharArray(),
                        new Certificate[] {cert, certificate});
                Path keystore = dir.resolve(name + ".p12");
                store(ks, keystore);
                return new Issued(name, cert, keys.getPrivate(), certPem, keyPem, keystore);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException | OperatorCreationException e) {
                throw new IllegalStateException("cannot issue test certificate " + name + ": " + e, e);
            }
        }
    }

    /**
     * A certificate issued by an {@link Authority}.
     *
     * @param certificatePem the certificate followed by the CA certificate (a chain, as servers present it)
     * @param keyPem         the private key, unencrypted PKCS#8 PEM
     * @param keystore       PKCS12 keystore with key and chain (store and key password {@link #STORE_PASSWORD})
     */
    public record Issued(String name, X509Certificate certificate, PrivateKey key, Path certificatePem, Path keyPem,
                         Path keystore) {
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (object instanceof PrivateKey key) {
                writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        }
        return out.toString();
    }

    private static void store(KeyStore store, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, STORE_PASSWORD.toCharArray());
        }
    }
}
