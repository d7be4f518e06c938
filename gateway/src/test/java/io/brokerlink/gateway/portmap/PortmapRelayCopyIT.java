package io.brokerlink.gateway.portmap;

import io.brokerlink.gateway.netty.DataPath;
import io.brokerlink.gateway.netty.Transport;

/**
 * Every {@link PortmapRelayIT} test again on the NIO transport, where bytes are copied through user space by
 * {@link Relay} (the path of a machine without epoll, and of {@code -Dbrokerlink.splice=false}).
 */
class PortmapRelayCopyIT extends PortmapRelayIT {

    @Override
    String gatewayAddress() {
        return "127.0.120.60";
    }

    @Override
    String upstreamAddress() {
        return "127.0.120.61";
    }

    @Override
    Transport transport() {
        return Transport.nio();
    }

    @Override
    DataPath dataPath() {
        return DataPath.COPY;
    }
}
