package io.brokerlink.core;

/** A listener every broker has apart from the private-link groups: INTERNAL or CONTROLLER. */
public record NamedListener(ListenerName name, int port) {

    public NamedListener {
        SpecException.port(port, "port");
    }
}
