package io.brokerlink.cli;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.GatewayConfigLoader;
import io.brokerlink.gateway.GatewayException;
import io.brokerlink.gateway.GatewayService;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.ConfigException;
import io.brokerlink.gateway.config.GatewayConfig;
import io.brokerlink.gateway.portmap.PortmapConfig;
import io.brokerlink.gateway.rewrite.RewriteConfig;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brokerlink gateway}: the data plane (portmap or rewrite mode) with its admin endpoint. */
@Command(name = "gateway",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Runs the gateway: every broker reachable as its own port of one address.",
            "",
            "mode: portmap forwards bytes untouched (bootstrap port to any healthy broker, one port per broker);",
            "the gateway.yaml that 'brokerlink plan' writes runs as it is. Prints one line",
            "'READY <listener addresses...> admin=<address>' when every listener is bound, serves /healthz, /readyz,",
            "/metrics and /status on the admin address, and shuts down gracefully on Ctrl-C (SIGINT or SIGTERM)."})
public final class GatewayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Gateway YAML (mode: portmap or rewrite).")
    Path configFile;

    /** grepplabs kafka-proxy's command line ({@code server --bootstrap-server-mapping ...}): rewrite mode. */
    @picocli.CommandLine.Unmatched
    List<String> kafkaProxyArgs = new java.util.ArrayList<>();

    @Option(names = "--bind-address", paramLabel = "IP",
            description = "Address the data listeners bind (portmap; overrides bind-address in the file).")
    String bindAddress;

    @Option(names = "--admin-bind", paramLabel = "HOST:PORT",
            description = "Admin HTTP address (overrides admin-bind; default 127.0.0.1:9644; port 0 picks a free one).")
    String adminBind;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GatewayConfig config = withOverrides(load());

        GatewayService service;
        try {
            service = GatewayService.start(config);
        } catch (GatewayException e) {
            if (e.getMessage().startsWith("cannot listen")) {
                throw new UsageException(e.getMessage());
            }
            err.println("brokerlink gateway: " + e.getMessage());
            err.flush();
            return 1;
        }
        RunningGateway gateway = service.gateway();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("stopping the gateway: no new connections, draining open ones for up to "
                    + config.common().drainTimeout().toMillis() + " ms ...");
            err.flush();
            service.close();
            err.println("stopped");
            err.flush();
            stopped.countDown();
        }, "gateway-shutdown"));

        out.println("READY " + gateway.listenerAddresses().stream().map(GatewayCommand::show)
                .collect(Collectors.joining(" ")) + " admin=" + show(service.adminAddress()));
        out.flush();
        stopped.await();
        return 0;
    }

    private GatewayConfig load() {
        if (configFile == null) {
            if (!io.brokerlink.gateway.compat.KafkaProxyFlags.looksLikeKafkaProxy(kafkaProxyArgs)) {
                throw new UsageException("--config FILE is required (or kafka-proxy's flags: server "
                        + "--bootstrap-server-mapping ...)" + (kafkaProxyArgs.isEmpty() ? "" : "; not understood: "
                        + String.join(" ", kafkaProxyArgs)));
            }
            try {
                return io.brokerlink.gateway.compat.KafkaProxyFlags.parse(kafkaProxyArgs);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        if (!kafkaProxyArgs.isEmpty()) {
            throw new UsageException("not understood together with --config: " + String.join(" ", kafkaProxyArgs));
        }
        try {
            return GatewayConfigLoader.load(configFile);
        } catch (ConfigException e) {
            throw new UsageException("--config: " + e.getMessage());
        }
    }

    private GatewayConfig withOverrides(GatewayConfig config) {
        if (adminBind != null) {
            HostPort bind;
            try {
                bind = HostPort.parse(adminBind, 0);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--admin-bind: " + e.getMessage());
            }
            config = switch (config.mode()) {
                case PORTMAP -> ((PortmapConfig) config).withCommon(config.common().withAdmin(new AdminConfig(bind)));
                case REWRITE -> ((RewriteConfig) config).withCommon(config.common().withAdmin(new AdminConfig(bind)));
            };
        }
        if (bindAddress != null) {
            if (!(config instanceof PortmapConfig portmap)) {
                throw new UsageException("--bind-address: applies to mode: portmap only; "
                        + configFile + " has mode: " + config.mode().yamlName());
            }
            config = portmap.withBindAddress(bindAddress);
        }
        return config;
    }

    private static String show(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
