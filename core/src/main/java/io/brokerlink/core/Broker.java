package io.brokerlink.core;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One Kafka node: its {@code node.id}, the host other nodes and the load balancer reach it at, its zone and roles.
 * {@code instanceId} names the VM for Terraform targets (EC2 instance id, GCE instance name, ECS instance id).
 */
public record Broker(int nodeId, String host, String zone, Set<Role> roles, Optional<String> instanceId) {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public Broker {
        SpecException.require(nodeId >= 0, "node-id", nodeId + " is negative; node.id must be 0 or more");
        SpecException.require(host != null && HOST.matcher(host).matches() && !host.endsWith("."), "host",
                "\"" + host + "\" is not a host name or IPv4 address, e.g. 10.0.1.11");
        SpecException.require(zone != null && !zone.isBlank(), "zone", "missing; give the zone this node runs in");
        SpecException.require(roles != null && !roles.isEmpty(), "roles",
                "empty; give broker, controller or both");
        roles = Set.copyOf(roles);
        instanceId = instanceId == null ? Optional.empty() : instanceId;
        instanceId.ifPresent(id -> SpecException.require(INSTANCE.matcher(id).matches(), "instance-id",
                "\"" + id + "\" is not an instance id (letters, digits, . _ -), e.g. i-0a1b2c3d4e5f60718"));
    }

    public boolean isBroker() {
        return roles.contains(Role.BROKER);
    }

    public boolean isController() {
        return roles.contains(Role.CONTROLLER);
    }

    /** {@code broker,controller} in KRaft's order. */
    public String processRoles() {
        return roles.stream().sorted().map(Role::id).collect(Collectors.joining(","));
    }

    public String label() {
        return AdvertisedPattern.brokerLabel(nodeId);
    }

    public boolean hostIsIpv4() {
        var m = IPV4.matcher(host);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }
}
