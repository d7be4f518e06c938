package io.brokerlink.gateway;

import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.config.ConfigException;
import io.brokerlink.gateway.config.ConfigMap;
import io.brokerlink.gateway.config.ConfigNode;
import io.brokerlink.gateway.config.GatewayConfig;
import io.brokerlink.gateway.config.GatewayMode;
import io.brokerlink.gateway.config.YamlTree;
import io.brokerlink.gateway.portmap.PortmapConfig;
import io.brokerlink.gateway.rewrite.RewriteConfig;
import java.nio.file.Path;

/**
 * Reads a gateway YAML file strictly: unknown keys, wrong types, out-of-range values and missing fields are
 * {@link ConfigException}s naming file, line, column and field path. Dispatches on {@code mode}.
 */
public final class GatewayConfigLoader {

    private GatewayConfigLoader() {
    }

    public static GatewayConfig load(Path file) {
        return read(YamlTree.parse(file));
    }

    /** For YAML held in memory; {@code source} names it in error messages. */
    public static GatewayConfig load(String source, String yaml) {
        return read(YamlTree.parse(source, yaml));
    }

    private static GatewayConfig read(ConfigNode rootNode) {
        if (!(rootNode instanceof ConfigMap root)) {
            throw rootNode.error("the file is " + rootNode.kind() + "; expected a map with a mode key");
        }
        String modeName = root.string("mode");
        GatewayMode mode = GatewayMode.fromYaml(modeName).orElseThrow(() -> root.required("mode").error(
                "\"" + modeName + "\" is not a mode; use one of " + GatewayMode.choices()));
        CommonSettings common = CommonSettings.read(root);
        switch (mode) {
            case PORTMAP:
                return PortmapConfig.read(root, common);
            case REWRITE: {
                RewriteConfig config = RewriteConfig.read(root, common);
                root.rejectUnknownKeys();
                return config;
            }
            default:
                throw new IllegalStateException("mode " + mode);
        }
    }
}
