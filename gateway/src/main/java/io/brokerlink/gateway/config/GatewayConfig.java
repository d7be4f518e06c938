package io.brokerlink.gateway.config;

/**
 * A gateway's whole configuration: one implementation per {@link GatewayMode}
 * ({@code io.brokerlink.gateway.portmap.PortmapConfig}, {@code io.brokerlink.gateway.rewrite.RewriteConfig}).
 *
 * <p>Not sealed: a sealed type on the class path may only permit classes of its own package, and each mode keeps
 * its configuration next to its code. {@link #mode()} is the discriminator {@code Gateway.start} switches on.
 */
public interface GatewayConfig {

    GatewayMode mode();

    CommonSettings common();
}
