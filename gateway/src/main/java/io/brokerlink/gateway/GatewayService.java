package io.brokerlink.gateway;

import io.brokerlink.gateway.admin.AdminServer;
import io.brokerlink.gateway.config.GatewayConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A gateway as an operator runs it: the data plane plus its admin endpoint (/healthz, /readyz, /metrics, /status),
 * sharing one Prometheus registry. Used by {@code brokerlink gateway} and by the demo.
 */
public final class GatewayService implements AutoCloseable {

    private final RunningGateway gateway;
    private final AdminServer admin;
    private final PrometheusMeterRegistry registry;

    private GatewayService(RunningGateway gateway, AdminServer admin, PrometheusMeterRegistry registry) {
        this.gateway = gateway;
        this.admin = admin;
        this.registry = registry;
    }

    /**
     * Binds the admin endpoint, then every data listener; on failure nothing is left bound.
     *
     * @throws GatewayException naming what could not start ("cannot listen on ..." for a bind failure)
     */
    public static GatewayService start(GatewayConfig config) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The admin endpoint answers /readyz with "not ready" until the data plane exists.
        AtomicReference<RunningGateway> running = new AtomicReference<>();
        AdminServer admin = AdminServer.start(config.common().admin(), registry,
                () -> Optional.ofNullable(running.get()));
        try {
            running.set(Gateway.start(config, registry));
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
        return new GatewayService(running.get(), admin, registry);
    }

    public RunningGateway gateway() {
        return gateway;
    }

    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Graceful: the data plane stops accepting and drains, then the admin endpoint closes. */
    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            admin.close();
        }
    }
}
