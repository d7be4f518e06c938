package io.brokerlink.gateway.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The two data planes; the YAML {@code mode} key names one. */
public enum GatewayMode {
    /** A TCP port-mapping balancer: bytes untouched, brokers advertise the gateway's addresses themselves. */
    PORTMAP("portmap"),
    /** A Kafka-aware proxy that rewrites broker addresses in responses, in front of an unchanged cluster. */
    REWRITE("rewrite");

    private final String yamlName;

    GatewayMode(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public static Optional<GatewayMode> fromYaml(String name) {
        return Arrays.stream(values()).filter(m -> m.yamlName.equals(name)).findFirst();
    }

    public static String choices() {
        return Arrays.stream(values()).map(GatewayMode::yamlName).collect(Collectors.joining(", "));
    }
}
