/**
 * TLS material and contexts shared by the gateway's legs: what a configuration names (PEM files, PKCS12/JKS
 * keystores, trust bundles, {@link io.brokerlink.gateway.tls.Secret} passwords), how it is read into Netty
 * {@code SslContext}s ({@link io.brokerlink.gateway.tls.TlsContexts}), how those follow certificate files that change on
 * disk ({@link io.brokerlink.gateway.tls.ReloadingSslContext}), and the pipeline handlers that turn the usual mistakes
 * into one line an operator can act on: a plaintext client on a TLS listener
 * ({@link io.brokerlink.gateway.tls.PlaintextOnTlsDetector}), a failed handshake with a client
 * ({@link io.brokerlink.gateway.tls.ClientTlsErrors}, a {@link io.brokerlink.gateway.tls.TlsErrorStop} as rewrite's
 * broker side has one) or with a broker ({@link io.brokerlink.gateway.tls.UpstreamTlsFailure}).
 *
 * <p>Rewrite mode uses it for {@code listener-tls} (toward clients) and {@code upstream-tls} (toward brokers); nothing
 * here knows about Kafka beyond recognising a request header, so portmap can reuse it.
 */
package io.brokerlink.gateway.tls;
