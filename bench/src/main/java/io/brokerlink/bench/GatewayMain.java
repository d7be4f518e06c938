package io.brokerlink.bench;

import io.brokerlink.gateway.Gateway;
import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.config.GatewayConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * A gateway in a JVM of its own, as the harness runs it: {@code GatewayMain CONFIG.yaml}. Starts the mode the file
 * names with the production metrics registry, prints {@code READY} and the listener addresses, and runs until its
 * standard input closes (the harness closes it to stop the gateway; a killed harness stops it the same way).
 */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: GatewayMain CONFIG.yaml");
            System.exit(2);
        }
        GatewayConfig config = GatewayConfigLoader.load(Path.of(args[0]));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RunningGateway gateway = Gateway.start(config, registry);
        System.out.println("READY " + gateway.listenerAddresses().stream().map(Object::toString)
                .collect(Collectors.joining(" ")));
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // nothing is read from the harness; end of input is the stop signal
        }
        gateway.close();
        System.exit(0);
    }
}
