package io.brokerlink.gateway.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate chain (leaf first). Cannot be constructed from a key that does not belong to
 * the leaf: Netty would accept the pair and every handshake would fail later, far from the file that is wrong.
 */
public record CertifiedKey(PrivateKey key, List<X509Certificate> chain) {

    public CertifiedKey {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the certificate itself");
        }
        if (!belongs(key, chain.get(0))) {
            throw new IllegalArgumentException("the private key does not belong to the certificate "
                    + chain.get(0).getSubjectX500Principal().getName());
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** What an operator needs to recognise a certificate in a log line: subject, serial, expiry. Never key bytes. */
    public static String describe(X509Certificate cert) {
        return "subject " + cert.getSubjectX500Principal().getName() + ", serial " + cert.getSerialNumber().toString(16)
                + ", notAfter " + DateTimeFormatter.ISO_INSTANT.format(cert.getNotAfter().toInstant()
                        .atOffset(ZoneOffset.UTC));
    }

    /** Signs a random challenge with the key and verifies it with the certificate's public key. */
    private static boolean belongs(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true; // an algorithm the check does not know: the handshake will tell
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(challenge);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(cert.getPublicKey());
            verify.update(challenge);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key against an RSA certificate
        }
    }
}
