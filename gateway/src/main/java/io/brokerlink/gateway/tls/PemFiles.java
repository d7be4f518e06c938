package io.brokerlink.gateway.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PEM certificates and PKCS#8 private keys (plain or encrypted), read with the JDK alone: netty-tcnative and
 * BouncyCastle are not on the class path. Every error names the file and what would be valid.
 */
final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)\\s*-----END \\1-----", Pattern.DOTALL);
    /** Key algorithms a PKCS#8 key may hold, tried in turn (the encoding names the algorithm by OID only). */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA");

    private PemFiles() {
    }

    static byte[] read(Path file, String field) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsMaterialException(field, file + ": no such file" + (file.isAbsolute() ? ""
                    : " (relative paths start at the working directory " + Path.of("").toAbsolutePath() + ")"));
        } catch (IOException e) {
            throw new TlsMaterialException(field, file + ": cannot read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
    }

    /** Every {@code CERTIFICATE} block of {@code file}, in order (a chain: leaf first). */
    static List<X509Certificate> certificates(Path file, String field) {
        String text = new String(read(file, field), StandardCharsets.US_ASCII);
        List<X509Certificate> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        CertificateFactory factory = x509Factory();
        while (m.find()) {
            if (!m.group(1).equals("CERTIFICATE")) {
                continue;
            }
            try {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2));
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (IllegalArgumentException | CertificateException e) {
                throw new TlsMaterialException(field, file + ": certificate " + (out.size() + 1)
                        + " is not a valid X.509 certificate (" + e.getMessage() + ")");
            }
        }
        if (out.isEmpty()) {
            throw new TlsMaterialException(field, file + ": contains no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /**
     * The private key of {@code file}: {@code PRIVATE KEY} (PKCS#8) or {@code ENCRYPTED PRIVATE KEY} (PKCS#8
     * encrypted with {@code password}). A password given for a plain key is ignored, as kafka-proxy does.
     */
    static PrivateKey privateKey(Path file, Secret password, String field, String passwordField) {
        String text = new String(read(file, field), StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("(?m)^[A-Za-z-]+:.*$", ""));
            } catch (IllegalArgumentException e) {
                throw new TlsMaterialException(field, file + ": the " + type + " block is not base64 ("
                        + e.getMessage() + ")");
            }
            return switch (type) {
                case "PRIVATE KEY" -> pkcs8(new PKCS8EncodedKeySpec(der), file, field);
                case "ENCRYPTED PRIVATE KEY" -> {
                    if (password == null) {
                        throw new TlsMaterialException(passwordField, "missing; " + file
                                + " holds an encrypted private key: give its password");
                    }
                    yield pkcs8(decrypt(der, password, file, passwordField), file, field);
                }
                default -> throw new TlsMaterialException(field, file + ": holds a \"" + type + "\" (PKCS#1/SEC1); "
                        + "give the key as PKCS#8 (-----BEGIN PRIVATE KEY-----), converted with: openssl pkcs8 -topk8 "
                        + "-in " + file.getFileName() + " -out key-pkcs8.pem (add -nocrypt to leave it unencrypted)");
            };
        }
        throw new TlsMaterialException(field, file + ": contains no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private static PKCS8EncodedKeySpec decrypt(byte[] der, Secret password, Path file, String passwordField) {
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(der);
        } catch (IOException e) {
            throw new TlsMaterialException(passwordField.replace("-password", ""), file
                    + ": the ENCRYPTED PRIVATE KEY block is not PKCS#8 (" + e.getMessage() + ")");
        }
        // PBES2 keys (what openssl writes today) name their real algorithm in the parameters, not in getAlgName().
        String algorithm = info.getAlgParameters() != null && info.getAlgName().startsWith("PBES2")
                ? info.getAlgParameters().toString() : info.getAlgName();
        try {
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password.chars())),
                    info.getAlgParameters());
            return info.getKeySpec(cipher);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new TlsMaterialException(passwordField.replace("-password", ""), file + ": encrypted with "
                    + algorithm + ", which this JVM cannot decrypt; re-encrypt it with openssl pkcs8 -topk8 -v2 aes-256-cbc");
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(passwordField, "does not decrypt the private key in " + file
                    + " (wrong password, from " + password.source() + ")");
        }
    }

    private static PrivateKey pkcs8(PKCS8EncodedKeySpec spec, Path file, String field) {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // not this algorithm: try the next
            }
        }
        throw new TlsMaterialException(field, file + ": the private key is not an RSA, EC, EdDSA or DSA key in "
                + "PKCS#8 form");
    }

    private static CertificateFactory x509Factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JVM has no X.509 certificate factory", e);
        }
    }
}
