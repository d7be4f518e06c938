package io.brokerlink.gateway;

import java.net.InetSocketAddress;
import java.util.List;

/** A started gateway, whatever its mode. {@link #close()} is graceful: stop accepting, drain, close. */
public interface RunningGateway extends AutoCloseable {

    /** Every bound data listener (not the admin endpoint), in configuration order. */
    List<InetSocketAddress> listenerAddresses();

    Readiness readiness();

    GatewayStatus status();

    /** Stops accepting, lets open connections finish up to the drain timeout, then closes everything. */
    @Override
    void close();
}
