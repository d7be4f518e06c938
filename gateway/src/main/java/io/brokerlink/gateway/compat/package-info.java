/**
 * Compatibility with grepplabs kafka-proxy's {@code server} flags, so that the seed's command line runs as
 * {@code brokerlink gateway server ...}: meaningful flags map onto rewrite mode's configuration, the others are
 * refused with a message that names the flag and says why.
 */
package io.brokerlink.gateway.compat;
