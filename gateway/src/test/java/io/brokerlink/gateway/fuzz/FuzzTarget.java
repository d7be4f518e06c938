package io.brokerlink.gateway.fuzz;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A gateway port to attack.
 *
 * @param mode the gateway mode behind the port: what the port must do with bad input differs
 * @param sasl the broker listener behind the port wants SASL first: cases usually log in (SaslHandshake v0 or the
 *             recorded v1 exchange) so that the mutated requests reach the broker's request handling
 */
record FuzzTarget(Mode mode, String name, InetSocketAddress address, boolean sasl) {

    enum Mode { PORTMAP, REWRITE }

    FuzzTarget {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
    }

    @Override
    public String toString() {
        return name + " " + address.getHostString() + ":" + address.getPort() + (sasl ? " (SASL)" : "");
    }
}
