/**
 * The deployment model: zones, brokers, listener groups, advertised patterns and port plans, and the rules
 * that keep them consistent. Plain Java with no network I/O, so every other module can share one truth.
 */
package io.brokerlink.core;
