package io.brokerlink.gateway.rewrite;

import io.brokerlink.gateway.limits.ConnectionAdmission;
import io.brokerlink.gateway.limits.LimitMeters;
import io.brokerlink.gateway.netty.DataPath;
import io.brokerlink.gateway.netty.Transport;
import io.brokerlink.gateway.tls.ReloadingSslContext;

/**
 * What every connection of one rewrite gateway shares, the connection limits over all listeners included.
 * {@code listenerTls} and {@code upstreamTls} are null for a plaintext leg.
 */
record RewriteContext(RewriteConfig config, Transport transport, DataPath dataPath, RewriteMetrics metrics,
                      ResponseRewriter rewriter, ApiVersionCaps caps, ConnectionAdmission admission,
                      LimitMeters limitMeters, ReloadingSslContext listenerTls, ReloadingSslContext upstreamTls) {}
