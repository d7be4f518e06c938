package io.brokerlink.gateway.rewrite;

import io.brokerlink.gateway.netty.Transport;

/** What every connection of one rewrite gateway shares. */
record RewriteContext(RewriteConfig config, Transport transport, RewriteMetrics metrics, ResponseRewriter rewriter,
                      ApiVersionCaps caps) {}
