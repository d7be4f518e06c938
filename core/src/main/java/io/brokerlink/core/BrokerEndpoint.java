package io.brokerlink.core;

/** One broker as a listener group exposes it: advertised name and port, reached at the broker's bind port. */
public record BrokerEndpoint(Broker broker, int advertisedPort, String advertisedHost, int bindPort) {

    /** {@code b1.usw2-az1.abc.us-west-2.aws.plc.example.com:9093} */
    public String advertised() {
        return advertisedHost + ":" + advertisedPort;
    }

    /** Where the load balancer forwards: the broker's internal host and the group's bind port. */
    public String target() {
        return broker.host() + ":" + bindPort;
    }
}
