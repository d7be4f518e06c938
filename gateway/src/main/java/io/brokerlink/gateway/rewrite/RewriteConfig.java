package io.brokerlink.gateway.rewrite;

import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.config.ConfigMap;
import io.brokerlink.gateway.config.ConfigNode;
import io.brokerlink.gateway.config.GatewayConfig;
import io.brokerlink.gateway.config.GatewayMode;
import io.brokerlink.gateway.config.HostPort;
import java.util.List;
import java.util.Objects;

/**
 * Rewrite mode's configuration. OWNED BY THE REWRITE-MODE TEAM (branch {@code rewrite}): this minimal record exists
 * only so that the shared loader dispatches on {@code mode: rewrite}; extend it freely.
 *
 * @param bootstrapServers the upstream cluster's bootstrap addresses, {@code host:port} each
 */
public record RewriteConfig(CommonSettings common, List<String> bootstrapServers) implements GatewayConfig {

    public RewriteConfig {
        Objects.requireNonNull(common, "common");
        bootstrapServers = List.copyOf(bootstrapServers);
        if (bootstrapServers.isEmpty()) {
            throw new IllegalArgumentException("bootstrap servers: none given; give at least one host:port");
        }
    }

    @Override
    public GatewayMode mode() {
        return GatewayMode.REWRITE;
    }

    /** Reads the rewrite-mode keys of the root map (the common keys are already read). */
    public static RewriteConfig read(ConfigMap root, CommonSettings common) {
        List<ConfigNode> items = root.list("bootstrap-servers").items();
        if (items.isEmpty()) {
            throw root.list("bootstrap-servers").error("is empty; give at least one host:port");
        }
        List<String> servers = items.stream().map(item -> {
            if (!(item instanceof io.brokerlink.gateway.config.ConfigScalar scalar)) {
                throw item.error("is " + item.kind() + "; expected host:port");
            }
            try {
                return HostPort.parse(scalar.text(), 1).toString();
            } catch (IllegalArgumentException e) {
                throw item.error(e.getMessage());
            }
        }).toList();
        return new RewriteConfig(common, servers);
    }
}
