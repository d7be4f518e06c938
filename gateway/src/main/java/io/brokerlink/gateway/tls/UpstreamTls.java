package io.brokerlink.gateway.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TLS toward brokers ({@code upstream-tls}).
 *
 * @param trust                the CAs broker certificates must chain to (the system CAs when none is configured)
 * @param hostnameVerification whether the broker's certificate must name the host the gateway dials (endpoint
 *                             identification "HTTPS", as Kafka's clients do by default)
 * @param clientKey            the gateway's own certificate for brokers that require one; null for none
 * @param protocols            enabled protocol versions (default TLSv1.3, TLSv1.2)
 * @param reloadCheck          how often the files are checked for changes
 */
public record UpstreamTls(TrustMaterial trust, boolean hostnameVerification, KeyMaterial clientKey,
                          List<String> protocols, Duration reloadCheck) {

    public UpstreamTls {
        trust = trust == null ? new TrustMaterial.SystemCas() : trust;
        protocols = TlsProtocols.protocols(protocols, "protocols");
        reloadCheck = reloadCheck == null ? ListenerTls.DEFAULT_RELOAD_CHECK : reloadCheck;
        if (reloadCheck.toMillis() < 100) {
            throw new TlsMaterialException("reload-check-ms", reloadCheck.toMillis() + " is too short; use 100 ms or more");
        }
    }

    /** Trust in a PEM CA bundle, hostname verification on, no client certificate. */
    public static UpstreamTls trusting(Path caPem) {
        return new UpstreamTls(new TrustMaterial.PemBundle(caPem), true, null, null, null);
    }

    /** Every file whose change triggers a reload. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>(trust.files());
        if (clientKey != null) {
            files.addAll(clientKey.files());
        }
        return List.copyOf(files);
    }

    /**
     * The same settings as Kafka client properties, for the gateway's own metadata client: {@code security.protocol}
     * SSL, the trust and key stores (PEM files through Kafka's PEM store type), and an empty
     * {@code ssl.endpoint.identification.algorithm} when hostname verification is off. A PEM client key is passed
     * as content (Kafka's PEM keystore file would need key and chain in one file), already decrypted.
     */
    public Map<String, Object> kafkaClientProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("security.protocol", "SSL");
        p.put("ssl.enabled.protocols", String.join(",", protocols));
        if (!hostnameVerification) {
            p.put("ssl.endpoint.identification.algorithm", "");
        }
        if (trust instanceof TrustMaterial.PemBundle pem) {
            p.put("ssl.truststore.type", "PEM");
            p.put("ssl.truststore.location", pem.file().toAbsolutePath().toString());
        } else if (trust instanceof TrustMaterial.TrustStoreFile store) {
            p.put("ssl.truststore.type", store.type().name());
            p.put("ssl.truststore.location", store.file().toAbsolutePath().toString());
            if (store.password() != null) {
                p.put("ssl.truststore.password", store.password().value());
            }
        } // else the system CAs: Kafka's default
        if (clientKey instanceof KeyMaterial.Pem pem) {
            // The key goes to Kafka decrypted, as PEM text in memory (a password-type setting, never logged or
            // written): Kafka's own PEM decryption cannot open PBES2 keys (what openssl writes) on Java 17.
            CertifiedKey key = pem.load();
            p.put("ssl.keystore.type", "PEM");
            p.put("ssl.keystore.certificate.chain", text(pem.certificateChain()));
            p.put("ssl.keystore.key", "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.key().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
        } else if (clientKey instanceof KeyMaterial.KeyStoreFile store) {
            p.put("ssl.keystore.type", store.type().name());
            p.put("ssl.keystore.location", store.keystore().toAbsolutePath().toString());
            p.put("ssl.keystore.password", store.password().value());
            p.put("ssl.key.password", (store.keyPassword() != null ? store.keyPassword() : store.password()).value());
        }
        return p;
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
    }
}
