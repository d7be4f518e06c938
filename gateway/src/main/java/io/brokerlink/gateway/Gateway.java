package io.brokerlink.gateway;

import io.brokerlink.gateway.config.GatewayConfig;
import io.brokerlink.gateway.portmap.PortmapConfig;
import io.brokerlink.gateway.portmap.PortmapGateway;
import io.brokerlink.gateway.rewrite.RewriteConfig;
import io.brokerlink.gateway.rewrite.RewriteGateway;
import io.micrometer.core.instrument.MeterRegistry;

/** Starts the data plane a configuration names. */
public final class Gateway {

    private Gateway() {
    }

    /**
     * Binds every listener and returns once they are bound; readiness may follow later (see
     * {@link RunningGateway#readiness()}).
     *
     * @throws GatewayException when a listener cannot be bound or the mode cannot start
     */
    public static RunningGateway start(GatewayConfig config, MeterRegistry registry) {
        switch (config.mode()) {
            case PORTMAP:
                return PortmapGateway.start((PortmapConfig) config, registry);
            case REWRITE:
                return RewriteGateway.start((RewriteConfig) config, registry);
            default:
                throw new IllegalStateException("mode " + config.mode());
        }
    }
}
