package io.brokerlink.gateway.rewrite;

import io.brokerlink.gateway.limits.ConnectionAdmission;
import io.brokerlink.gateway.limits.LimitMeters;
import io.brokerlink.gateway.netty.Transport;

/** What every connection of one rewrite gateway shares, the connection limits over all listeners included. */
record RewriteContext(RewriteConfig config, Transport transport, RewriteMetrics metrics, ResponseRewriter rewriter,
                      ApiVersionCaps caps, ConnectionAdmission admission, LimitMeters limitMeters) {}
