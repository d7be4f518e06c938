package io.brokerlink.gateway.tls;

import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;

/** Netty {@link SslContext}s (JDK provider) from the configured material, read from disk at the moment of the call. */
public final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * A context and what it was built from.
     *
     * @param key     the certificate presented to peers; null for an upstream context without client certificate
     * @param summary one log line describing it (subject, serial, expiry, trust); never a password
     */
    public record Built(SslContext context, CertifiedKey key, String summary) {}

    /** The listener side: presents {@code tls.key()}, asks for client certificates as configured. */
    public static Built server(ListenerTls tls) {
        CertifiedKey key = tls.key().load();
        SslContextBuilder builder = SslContextBuilder.forServer(key.key(), key.chain())
                .sslProvider(SslProvider.JDK)
                .protocols(tls.protocols())
                .ciphers(tls.ciphers().isEmpty() ? TlsProtocols.defaultCiphers() : tls.ciphers(),
                        IdentityCipherSuiteFilter.INSTANCE)
                .clientAuth(tls.clientAuth().netty());
        String clients = "client-auth " + tls.clientAuth().yaml();
        if (tls.clientTrust() != null) {
            builder.trustManager(tls.clientTrust().load());
            clients += " against " + tls.clientTrust().describe();
        }
        try {
            return new Built(builder.build(), key, "certificate " + CertifiedKey.describe(key.leaf()) + "; protocols "
                    + String.join(", ", tls.protocols()) + "; " + clients);
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsMaterialException(tls.key() instanceof KeyMaterial.Pem ? "cert" : "keystore",
                    "cannot build a TLS server context: " + e.getMessage());
        }
    }

    /** The broker side: trusts {@code tls.trust()}, verifies host names unless turned off, presents a client key if any. */
    public static Built client(UpstreamTls tls) {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(tls.protocols())
                .trustManager(tls.trust().load())
                // Netty 4.2 verifies host names by default; null turns it off when the configuration says so.
                .endpointIdentificationAlgorithm(tls.hostnameVerification() ? "HTTPS" : null);
        CertifiedKey key = null;
        if (tls.clientKey() != null) {
            key = tls.clientKey().load();
            builder.keyManager(key.key(), key.chain());
        }
        try {
            return new Built(builder.build(), key, "trust " + tls.trust().describe() + "; hostname verification "
                    + (tls.hostnameVerification() ? "on" : "OFF") + "; "
                    + (key == null ? "no client certificate" : "client certificate " + CertifiedKey.describe(key.leaf())));
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsMaterialException("ca", "cannot build a TLS client context: " + e.getMessage());
        }
    }
}
