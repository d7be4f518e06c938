package io.brokerlink.gateway.rewrite;

/** What every connection of one rewrite gateway shares. */
record RewriteContext(RewriteConfig config, Transport transport, RewriteMetrics metrics, ResponseRewriter rewriter,
                      ApiVersionCaps caps) {}
