package io.brokerlink.core;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The whole deployment spec: cloud, zones, listeners, groups and brokers. A {@code Deployment} that exists is
 * consistent: every broker is in a known zone, node ids and ports are unique, ranges do not overlap, every group
 * fits its cloud's load balancer. Errors name the field as written in the spec ({@code brokers[1].zone}).
 */
public record Deployment(String name, Cloud cloud, String region, ClusterMode cluster, List<String> zones,
                         NamedListener internal, NamedListener controller, String logDirs,
                         LoadBalancerOptions loadBalancer, GatewayOptions gateway, boolean terraform,
                         List<ListenerGroup> groups, List<Broker> brokers) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,19}");
    private static final Pattern ZONE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern AWS_PRINCIPAL = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:[A-Za-z0-9+=,.@_/-]+");
    private static final Pattern GCP_PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]|\\d{6,20}");
    private static final Pattern ALICLOUD_ACCOUNT = Pattern.compile("\\d{6,20}");

    public Deployment {
        SpecException.require(name != null && NAME.matcher(name).matches(), "name",
                "\"" + name + "\" must be 1-20 lower-case letters, digits and -, starting with a letter");
        SpecException.require(region != null && region.matches("[a-z0-9-]{2,40}"), "region",
                "\"" + region + "\" is not a region id, e.g. us-west-2");
        zones = List.copyOf(zones);
        groups = List.copyOf(groups);
        brokers = List.copyOf(brokers);
        checkZones(zones);
        checkListeners(internal, controller);
        SpecException.require(logDirs != null && !logDirs.isBlank(), "log-dirs", "empty; give e.g. ./data");
        SpecException.require(!terraform || cloud.hasTerraform(), "terraform",
                "the generic cloud has no load balancer to write Terraform for; set terraform: false"
                        + " (the gateway.yaml does the mapping) or choose cloud aws, gcp or alicloud");
        checkBrokers(cloud, terraform, zones, brokers);
        checkGroups(cloud, terraform, zones, internal, controller, groups, brokers);
        PortPlan plan = PortPlan.resolve(groups, brokers);
        checkPorts(internal, controller, plan);
        checkListenerLimits(cloud, loadBalancer, plan);
    }

    /** Every group's brokers with their advertised ports and names, in spec order of groups and node-id order. */
    public PortPlan portPlan() {
        return PortPlan.resolve(groups, brokers);
    }

    public List<Broker> controllers() {
        return brokers.stream().filter(Broker::isController).sorted(Comparator.comparingInt(Broker::nodeId)).toList();
    }

    public List<Broker> brokersByNodeId() {
        return brokers.stream().sorted(Comparator.comparingInt(Broker::nodeId)).toList();
    }

    public Optional<Broker> broker(int nodeId) {
        return brokers.stream().filter(b -> b.nodeId() == nodeId).findFirst();
    }

    public boolean awaitsUniqueName() {
        return groups.stream().anyMatch(ListenerGroup::awaitsUniqueName);
    }

    /** The Alibaba second round: every group whose pattern carries {@code unique_name} gets the consumer's value. */
    public Deployment withUniqueName(UniqueName value) {
        SpecException.require(groups.stream().anyMatch(g -> g.patterns().hasUniqueName()), "unique-name",
                "given, but no group's pattern has a " + AdvertisedPattern.UNIQUE_NAME + " label to replace");
        List<ListenerGroup> replaced = groups.stream()
                .map(g -> g.patterns().hasUniqueName() ? g.withUniqueName(value) : g).toList();
        return new Deployment(name, cloud, region, cluster, zones, internal, controller, logDirs, loadBalancer,
                gateway, terraform, replaced, brokers);
    }

    private static void checkZones(List<String> zones) {
        SpecException.require(!zones.isEmpty(), "zones", "empty; list the zone ids the brokers run in");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < zones.size(); i++) {
            String zone = zones.get(i);
            SpecException.require(ZONE.matcher(zone).matches(), "zones[" + i + "]",
                    "\"" + zone + "\" is not a zone id (lower-case letters, digits, -), e.g. usw2-az1");
            SpecException.require(seen.add(zone), "zones[" + i + "]", "\"" + zone + "\" is listed twice");
        }
    }

    private static void checkListeners(NamedListener internal, NamedListener controller) {
        SpecException.require(!internal.name().equals(controller.name()), "listeners.controller.name",
                "\"" + controller.name() + "\" is also the internal listener's name; they must differ");
        SpecException.require(internal.port() != controller.port(), "listeners.controller.port",
                controller.port() + " is also the internal listener's port; they must differ");
    }

    private static void checkBrokers(Cloud cloud, boolean terraform, List<String> zones, List<Broker> brokers) {
        SpecException.require(!brokers.isEmpty(), "brokers", "empty; list at least one node");
        Map<Integer, Integer> indexByNodeId = new HashMap<>();
        for (int i = 0; i < brokers.size(); i++) {
            Broker b = brokers.get(i);
            String at = "brokers[" + i + "]";
            Integer first = indexByNodeId.putIfAbsent(b.nodeId(), i);
            SpecException.require(first == null, at + ".node-id",
                    "node id " + b.nodeId() + " is already used by brokers[" + first + "]; node ids must be unique");
            SpecException.require(zones.contains(b.zone()), at + ".zone",
                    "\"" + b.zone() + "\" is not one of the zones (" + String.join(", ", zones) + ")");
            if (terraform && b.isBroker()) {
                switch (cloud) {
                    case GCP -> SpecException.require(b.instanceId().isPresent(), at + ".instance-id",
                            "missing; a port-mapping network endpoint names the VM instance, give its name");
                    case AWS, ALICLOUD -> SpecException.require(b.instanceId().isPresent() || b.hostIsIpv4(),
                            at + ".instance-id", "missing while host \"" + b.host() + "\" is not an IPv4 address;"
                                    + " the load balancer targets an instance id or an IP address");
                    case GENERIC -> { }
                }
            }
        }
        SpecException.require(brokers.stream().anyMatch(Broker::isController), "brokers",
                "no node has the controller role; a KRaft cluster needs at least one controller");
        SpecException.require(brokers.stream().anyMatch(Broker::isBroker), "brokers",
                "no node has the broker role; clients need at least one broker");
    }

    private static void checkGroups(Cloud cloud, boolean terraform, List<String> zones, NamedListener internal,
                                    NamedListener controller, List<ListenerGroup> groups, List<Broker> brokers) {
        SpecException.require(!groups.isEmpty(), "groups",
                "empty; give at least one listener group (e.g. EXTERNAL) to expose through the endpoint");
        Map<ListenerName, Integer> indexByName = new HashMap<>();
        Map<Integer, String> bindPortOwner = new HashMap<>();
        bindPortOwner.put(internal.port(), "the " + internal.name() + " listener");
        bindPortOwner.put(controller.port(), "the " + controller.name() + " listener");
        for (int g = 0; g < groups.size(); g++) {
            ListenerGroup group = groups.get(g);
            String at = "groups[" + g + "]";
            Integer first = indexByName.putIfAbsent(group.name(), g);
            SpecException.require(first == null, at + ".name",
                    "\"" + group.name() + "\" is already the name of groups[" + first + "]; names must be unique");
            SpecException.require(!group.name().equals(internal.name()) && !group.name().equals(controller.name()),
                    at + ".name", "\"" + group.name() + "\" is the name of the internal or controller listener");
            String owner = bindPortOwner.putIfAbsent(group.bindPort(), "group " + group.name());
            SpecException.require(owner == null, at + ".bind-port",
                    group.bindPort() + " is already bound by " + owner + "; every listener of a broker needs its own port");
            if (cloud == Cloud.GCP) {
                SpecException.require(group.bootstrapPort().isEmpty(), at + ".bootstrap-port",
                        "Google Cloud port mapping does not load-balance, so there is no bootstrap port;"
                                + " remove it (consumers bootstrap from the brokers' advertised ports)");
            }
            if (terraform) {
                SpecException.require(group.consumer().isPresent(), at + ".consumer",
                        "missing; give the consumer to allow into the endpoint service (" + consumerHint(cloud) + ")");
                String consumer = group.consumer().get();
                Pattern valid = switch (cloud) {
                    case AWS -> AWS_PRINCIPAL;
                    case GCP -> GCP_PROJECT;
                    case ALICLOUD -> ALICLOUD_ACCOUNT;
                    case GENERIC -> Pattern.compile(".+");
                };
                SpecException.require(valid.matcher(consumer).matches(), at + ".consumer",
                        "\"" + consumer + "\" is not " + consumerHint(cloud));
            }
            checkPatterns(cloud, zones, group, at, brokers);
        }
    }

    private static String consumerHint(Cloud cloud) {
        return switch (cloud) {
            case AWS -> "an AWS principal ARN, e.g. arn:aws:iam::123456789012:root";
            case GCP -> "a Google Cloud project id or number, e.g. consumer-project-1";
            case ALICLOUD -> "an Alibaba Cloud account id, e.g. 5123456789012345";
            case GENERIC -> "any consumer name";
        };
    }

    private static void checkPatterns(Cloud cloud, List<String> zones, ListenerGroup group, String at,
                                      List<Broker> brokers) {
        if (group.patterns() instanceof PatternSet.PerZone perZone) {
            for (var e : perZone.byZone().entrySet()) {
                String field = at + ".patterns." + e.getKey();
                SpecException.require(zones.contains(e.getKey()), field, "\"" + e.getKey()
                        + "\" is not one of the zones (" + String.join(", ", zones) + ")");
                AdvertisedPattern pattern = e.getValue();
                for (String label : pattern.hostLabels()) {
                    SpecException.require(!zones.contains(label) || label.equals(e.getKey()), field,
                            "pattern \"" + pattern + "\" names zone " + label + " but is given for zone " + e.getKey());
                }
                if (cloud == Cloud.AWS) {
                    SpecException.require(pattern.hasZone() || pattern.hostLabels().contains(e.getKey()), field,
                            "pattern \"" + pattern + "\" does not carry the AZ id " + e.getKey()
                                    + "; AWS patterns name the AZ of the brokers that advertise them");
                }
            }
            for (int i = 0; i < brokers.size(); i++) {
                Broker b = brokers.get(i);
                SpecException.require(!b.isBroker() || perZone.byZone().containsKey(b.zone()), at + ".patterns",
                        "no pattern for zone " + b.zone() + " of brokers[" + i + "] (node " + b.nodeId() + ")");
            }
        } else if (group.patterns() instanceof PatternSet.Shared shared) {
            AdvertisedPattern pattern = shared.pattern();
            if (pattern.hasZone()) {
                return;
            }
            List<String> named = pattern.hostLabels().stream().filter(zones::contains).toList();
            for (int i = 0; i < brokers.size(); i++) {
                Broker b = brokers.get(i);
                if (b.isBroker() && !named.isEmpty()) {
                    SpecException.require(named.contains(b.zone()), "brokers[" + i + "].zone",
                            "broker " + b.nodeId() + " is in " + b.zone() + " but group " + group.name()
                                    + "'s pattern \"" + pattern + "\" names " + String.join(", ", named)
                                    + "; use " + AdvertisedPattern.AZ_ID + " or one pattern per zone (patterns:)");
                }
            }
            if (cloud == Cloud.AWS) {
                SpecException.require(!named.isEmpty(), at + ".pattern", "pattern \"" + pattern
                        + "\" has no AZ id; AWS private DNS resolves names per AZ, so use " + AdvertisedPattern.AZ_ID
                        + " in the pattern or give one pattern per zone (patterns:)");
            }
        }
    }

    /** A group's range may not overlap another group's range, a bootstrap port, INTERNAL or CONTROLLER. */
    private static void checkPorts(NamedListener internal, NamedListener controller, PortPlan plan) {
        List<GroupPlan> groups = plan.groups();
        for (int g = 0; g < groups.size(); g++) {
            GroupPlan group = groups.get(g);
            String at = "groups[" + g + "]";
            String rangeField = at + "." + group.portsField();
            int lo = group.lowestPort();
            int hi = group.highestPort();
            String range = lo == hi ? "port " + lo : "range " + lo + "-" + hi;
            for (NamedListener l : List.of(internal, controller)) {
                SpecException.require(l.port() < lo || l.port() > hi, rangeField, "advertised " + range
                        + " of group " + group.name() + " contains the " + l.name() + " port " + l.port());
            }
            for (int o = 0; o < groups.size(); o++) {
                GroupPlan other = groups.get(o);
                OptionalInt bootstrap = other.bootstrapPort();
                if (bootstrap.isPresent()) {
                    int p = bootstrap.getAsInt();
                    SpecException.require(p < lo || p > hi, o == g ? at + ".bootstrap-port" : rangeField,
                            "advertised " + range + " of group " + group.name() + " contains the bootstrap port "
                                    + p + " of group " + other.name());
                    if (o > g && group.bootstrapPort().isPresent()) {
                        SpecException.require(group.bootstrapPort().getAsInt() != p, "groups[" + o + "].bootstrap-port",
                                p + " is already the bootstrap port of group " + group.name());
                    }
                }
                if (o > g) {
                    SpecException.require(other.highestPort() < lo || other.lowestPort() > hi,
                            "groups[" + o + "]." + other.portsField(), "advertised range " + other.lowestPort() + "-"
                                    + other.highestPort() + " of group " + other.name() + " overlaps " + range
                                    + " of group " + group.name() + "; two groups cannot share advertised ports");
                }
            }
        }
    }

    private static void checkListenerLimits(Cloud cloud, LoadBalancerOptions lb, PortPlan plan) {
        OptionalInt limit = cloud.listenerLimitAdjustable() && lb.listenerQuota().isPresent()
                ? lb.listenerQuota() : cloud.defaultListenerLimit();
        if (limit.isEmpty()) {
            return;
        }
        List<GroupPlan> groups = plan.groups();
        for (int g = 0; g < groups.size(); g++) {
            GroupPlan group = groups.get(g);
            int max = limit.getAsInt();
            if (group.listenerCount() > max) {
                String why = cloud == Cloud.AWS
                        ? "an AWS network load balancer allows " + max + " listeners and that limit is not adjustable"
                        : "the Alibaba Cloud load balancer allows " + max + " listeners (ask Alibaba Cloud to raise"
                                + " the quota, then set load-balancer.listener-quota)";
                throw new SpecException("groups[" + g + "]", "group " + group.name() + " needs "
                        + group.listenerCount() + " load-balancer listeners (" + group.endpoints().size()
                        + " brokers" + (group.bootstrapPort().isPresent() ? " + bootstrap" : "") + ") but " + why
                        + "; refused rather than split: clients must reach every broker through the one load"
                        + " balancer behind the endpoint service, and a second load balancer behind the same"
                        + " service would receive connections for ports it does not have. At most "
                        + (max - 1) + " brokers with a bootstrap port, or " + max + " without one");
            }
        }
    }

}
