package io.brokerlink.gateway.testkit;

import io.brokerlink.gateway.Gateway;
import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Starts a gateway in this JVM from the YAML a user would write and returns it once it reports ready: portmap is
 * ready after its first health checks, so a test that connects at once could otherwise meet an unknown broker.
 */
public final class ReadyGateway {

    private ReadyGateway() {
    }

    /** {@code fileName} is what configuration errors name. */
    public static RunningGateway start(String fileName, String yaml, MeterRegistry registry)
            throws InterruptedException {
        return start(GatewayConfigLoader.load(fileName, yaml), registry);
    }

    public static RunningGateway start(GatewayConfig config, MeterRegistry registry) throws InterruptedException {
        RunningGateway gateway = Gateway.start(config, registry);
        try {
            Eventually.await(() -> gateway.readiness().isReady(), () -> "gateway ready: " + gateway.status());
        } catch (AssertionError | InterruptedException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }
}
