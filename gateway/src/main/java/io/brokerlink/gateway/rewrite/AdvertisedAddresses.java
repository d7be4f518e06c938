package io.brokerlink.gateway.rewrite;

import io.brokerlink.core.HostPort;


/** What the rewriter asks: the address a client must be given for a broker it is told about. */
interface AdvertisedAddresses {

    /**
     * @return the advertised address, or null when this gateway serves no port for that broker (the caller then
     *         drops the entry or reports the node as unavailable: a real address must never reach the client)
     */
    HostPort advertised(int nodeId, String upstreamHost, int upstreamPort, String rack);
}
