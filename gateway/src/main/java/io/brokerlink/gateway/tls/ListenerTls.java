package io.brokerlink.gateway.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * TLS toward clients ({@code listener-tls}). Validates itself: client authentication without a CA to check client
 * certificates against, a CA without client authentication, an unknown protocol or cipher cannot be constructed.
 *
 * @param key         the certificate the listeners present
 * @param clientAuth  whether clients must present a certificate
 * @param clientTrust the CAs client certificates must chain to; null exactly when {@code clientAuth} is none
 * @param protocols   enabled protocol versions (default TLSv1.3, TLSv1.2)
 * @param ciphers     enabled cipher suites; empty for the JVM's defaults
 * @param reloadCheck how often the files are checked for changes
 */
public record ListenerTls(KeyMaterial key, ClientAuth clientAuth, TrustMaterial clientTrust, List<String> protocols,
                          List<String> ciphers, Duration reloadCheck) {

    public static final Duration DEFAULT_RELOAD_CHECK = Duration.ofSeconds(10);

    public ListenerTls {
        if (key == null) {
            throw new TlsMaterialException("cert", "neither cert + key nor keystore is set; give cert: and key: (PEM) "
                    + "or keystore: (PKCS12/JKS)");
        }
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
        if (clientAuth != ClientAuth.NONE && clientTrust == null) {
            throw new TlsMaterialException("client-auth", clientAuth.yaml() + " needs the CA that signs client "
                    + "certificates: give client-ca (PEM) or truststore");
        }
        if (clientAuth == ClientAuth.NONE && clientTrust != null) {
            throw new TlsMaterialException(clientTrust instanceof TrustMaterial.TrustStoreFile ? "truststore" : "client-ca",
                    "is set but client-auth is none, so no client certificate is asked for; set client-auth: required "
                            + "(or requested), or remove it");
        }
        if (clientTrust instanceof TrustMaterial.SystemCas) {
            throw new TlsMaterialException("client-ca", "client certificates are checked against the CA given in "
                    + "client-ca or truststore, not the system CAs");
        }
        protocols = TlsProtocols.protocols(protocols, "protocols");
        ciphers = TlsProtocols.ciphers(ciphers, "ciphers");
        reloadCheck = reloadCheck == null ? DEFAULT_RELOAD_CHECK : reloadCheck;
        if (reloadCheck.toMillis() < 100) {
            throw new TlsMaterialException("reload-check-ms", reloadCheck.toMillis() + " is too short; use 100 ms or more");
        }
    }

    /** PEM certificate and key, no client authentication, default protocols: the common case. */
    public static ListenerTls pem(Path cert, Path key) {
        return new ListenerTls(new KeyMaterial.Pem(cert, key, null), ClientAuth.NONE, null, null, null, null);
    }

    /** Every file whose change triggers a reload. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>(key.files());
        if (clientTrust != null) {
            files.addAll(clientTrust.files());
        }
        return List.copyOf(files);
    }

    public ListenerTls withReloadCheck(Duration every) {
        return new ListenerTls(key, clientAuth, clientTrust, protocols, ciphers, Objects.requireNonNull(every));
    }
}
