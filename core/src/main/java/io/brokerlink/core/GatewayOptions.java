package io.brokerlink.core;

/** Settings of BrokerLink's own gateway (portmap mode) that {@code plan} writes into {@code gateway.yaml}. */
public record GatewayOptions(String bindAddress) {

    public static final GatewayOptions DEFAULTS = new GatewayOptions("0.0.0.0");

    public GatewayOptions {
        SpecException.require(bindAddress != null && bindAddress.matches("[A-Za-z0-9.:-]+"), "bind-address",
                "\"" + bindAddress + "\" is not an address to listen on, e.g. 0.0.0.0 or 127.0.0.1");
    }
}
