package io.brokerlink.sandbox;

import java.util.Objects;

/**
 * One node of a sandbox cluster as it is laid out: its loopback address and the three listeners' ports, and the
 * EXTERNAL address it advertises to clients.
 */
public record SandboxNode(
        int nodeId,
        String zone,
        String address,
        int internalPort,
        int controllerPort,
        int externalPort,
        String advertisedHost,
        int advertisedPort) {

    public SandboxNode {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(advertisedHost, "advertisedHost");
        if (nodeId < 0) {
            throw new IllegalArgumentException("node id must be >= 0, was " + nodeId);
        }
    }

    public String internal() {
        return address + ":" + internalPort;
    }

    public String controller() {
        return address + ":" + controllerPort;
    }

    /** Where the EXTERNAL listener is bound (what a load balancer targets). */
    public String externalBind() {
        return address + ":" + externalPort;
    }

    /** What the EXTERNAL listener advertises (what a client is told to connect to). */
    public String advertisedExternal() {
        return advertisedHost + ":" + advertisedPort;
    }
}
