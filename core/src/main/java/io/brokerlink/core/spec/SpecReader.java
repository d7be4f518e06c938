package io.brokerlink.core.spec;

import io.brokerlink.core.AdvertisedPattern;
import io.brokerlink.core.Broker;
import io.brokerlink.core.Cloud;
import io.brokerlink.core.ClusterMode;
import io.brokerlink.core.Deployment;
import io.brokerlink.core.GatewayOptions;
import io.brokerlink.core.ListenerGroup;
import io.brokerlink.core.ListenerName;
import io.brokerlink.core.LoadBalancerOptions;
import io.brokerlink.core.NamedListener;
import io.brokerlink.core.PatternSet;
import io.brokerlink.core.PortAssignment;
import io.brokerlink.core.Role;
import io.brokerlink.core.SpecException;
import io.brokerlink.core.UniqueName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Reads a deployment spec. Strict: unknown keys, wrong types and duplicate keys are errors. Every error, including
 * the model's own consistency checks, comes back as one line naming the file, the line and the field.
 */
public final class SpecReader {

    private final String source;
    private final Map<String, Integer> lines = new HashMap<>();

    private SpecReader(String source) {
        this.source = source;
    }

    public static Deployment read(Path file) throws InvalidSpecException, IOException {
        return read(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /** {@code source} is the name used in messages, normally the spec's file name. */
    public static Deployment read(String source, String text) throws InvalidSpecException {
        SpecReader reader = new SpecReader(source);
        try {
            return reader.deployment(YamlTree.parse(text));
        } catch (LocatedSpecError e) {
            throw new InvalidSpecException(source, e.line, e.error.field(), e.error.problem());
        } catch (SpecException e) {
            throw new InvalidSpecException(source, reader.lineOf(e.field()), e.field(), e.problem());
        }
    }

    /** The line of a field, or of its closest enclosing field the spec spells out. */
    private int lineOf(String field) {
        String path = field;
        while (!path.isEmpty()) {
            Integer line = lines.get(path);
            if (line != null) {
                return line;
            }
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            path = cut <= 0 ? "" : path.substring(0, cut);
        }
        return lines.getOrDefault("", 1);
    }

    private Deployment deployment(YamlNode root) {
        SpecNode spec = SpecNode.of("", root, lines);
        String cloudText = spec.string("cloud", "give aws, gcp, alicloud or generic");
        Cloud cloud = Cloud.fromId(cloudText, "cloud");
        String region = spec.string("region", "give the region, e.g. us-west-2");
        String name = spec.optionalString("name").orElse("brokerlink");
        ClusterMode cluster = ClusterMode.fromId(spec.optionalString("cluster").orElse("new"), "cluster");
        List<YamlNode> zoneNodes = spec.list("zones", "list the zone ids, e.g. [usw2-az1, usw2-az2, usw2-az3]");
        List<String> zones = new java.util.ArrayList<>();
        for (int i = 0; i < zoneNodes.size(); i++) {
            lines.put("zones[" + i + "]", zoneNodes.get(i).line());
            zones.add(SpecNode.text(zoneNodes.get(i), "zones[" + i + "]"));
        }
        SpecNode listeners = spec.mapping("listeners");
        NamedListener internal = namedListener(listeners.mapping("internal"), "INTERNAL", 9092);
        NamedListener controller = namedListener(listeners.mapping("controller"), "CONTROLLER", 29092);
        listeners.finish();
        String logDirs = spec.optionalString("log-dirs").orElse("./data");
        LoadBalancerOptions lb = loadBalancer(spec.mapping("load-balancer"));
        GatewayOptions gateway = gateway(spec.mapping("gateway"));
        boolean terraform = spec.bool("terraform", cloud.hasTerraform());
        List<YamlNode> groupNodes = spec.list("groups", "list the listener groups, e.g. one named EXTERNAL");
        List<ListenerGroup> groups = new java.util.ArrayList<>();
        for (int i = 0; i < groupNodes.size(); i++) {
            groups.add(group(SpecNode.of("groups[" + i + "]", groupNodes.get(i), lines)));
        }
        List<YamlNode> brokerNodes = spec.list("brokers", "list the Kafka nodes");
        List<Broker> brokers = new java.util.ArrayList<>();
        for (int i = 0; i < brokerNodes.size(); i++) {
            brokers.add(broker(SpecNode.of("brokers[" + i + "]", brokerNodes.get(i), lines)));
        }
        spec.finish();
        return new Deployment(name, cloud, region, cluster, zones, internal, controller, logDirs, lb, gateway,
                terraform, groups, brokers);
    }

    private NamedListener namedListener(SpecNode node, String defaultName, int defaultPort) {
        String name = node.optionalString("name").orElse(defaultName);
        int port = node.optionalInteger("port").orElse(defaultPort);
        node.finish();
        ListenerName listenerName = within(node.child("name"), () -> new ListenerName(name));
        return within(node.path(), () -> new NamedListener(listenerName, port));
    }

    private LoadBalancerOptions loadBalancer(SpecNode node) {
        boolean crossZone = node.bool("cross-zone", true);
        var idle = node.optionalInteger("idle-timeout-seconds");
        boolean acceptance = node.bool("acceptance-required", true);
        var quota = node.optionalInteger("listener-quota");
        node.finish();
        return within(node.path(), () -> new LoadBalancerOptions(crossZone, idle, acceptance, quota));
    }

    private GatewayOptions gateway(SpecNode node) {
        String bind = node.optionalString("bind-address").orElse(GatewayOptions.DEFAULTS.bindAddress());
        node.finish();
        return within(node.path(), () -> new GatewayOptions(bind));
    }

    private ListenerGroup group(SpecNode node) {
        String nameText = node.string("name", "give the listener name, e.g. EXTERNAL");
        ListenerName name = within(node.child("name"), () -> new ListenerName(nameText));
        int bindPort = node.integer("bind-port", "give the port brokers bind this listener on, e.g. 39092");
        PatternSet patterns = patterns(node);
        PortAssignment ports = ports(node);
        var bootstrap = node.optionalInteger("bootstrap-port");
        Optional<String> consumer = node.optionalString("consumer");
        Optional<UniqueName> uniqueName = node.optionalString("unique-name")
                .map(v -> within(node.child("unique-name"), () -> new UniqueName(v)));
        node.finish();
        return within(node.path(), () -> new ListenerGroup(name, bindPort, patterns, ports, bootstrap, consumer,
                uniqueName));
    }

    private PatternSet patterns(SpecNode node) {
        boolean shared = node.has("pattern");
        boolean perZone = node.has("patterns");
        if (shared == perZone) {
            throw new SpecException(node.child("pattern"), shared
                    ? "give either pattern or patterns (one per zone), not both"
                    : "missing; give the advertised pattern, e.g. " + AdvertisedPattern.REFERENCE
                            + ", or patterns: with one per zone");
        }
        if (shared) {
            String text = node.string("pattern", "");
            return new PatternSet.Shared(pattern(node.child("pattern"), text));
        }
        SpecNode byZone = node.mapping("patterns");
        SortedMap<String, AdvertisedPattern> patterns = new TreeMap<>();
        byZone.entries().forEach((zone, value) -> {
            String field = byZone.child(zone);
            patterns.put(zone, pattern(field, SpecNode.text(value, field)));
        });
        return within(byZone.path(), () -> new PatternSet.PerZone(patterns));
    }

    private static AdvertisedPattern pattern(String field, String text) {
        return within(field, () -> new AdvertisedPattern(text));
    }

    private PortAssignment ports(SpecNode node) {
        boolean start = node.has("advertised-port-start");
        boolean explicit = node.has("advertised-ports");
        if (start == explicit) {
            throw new SpecException(node.child("advertised-port-start"), start
                    ? "give either advertised-port-start or advertised-ports, not both"
                    : "missing; give the first advertised port (e.g. 9093) or advertised-ports: {NODE_ID: PORT}");
        }
        if (start) {
            int first = node.integer("advertised-port-start", "");
            return within(node.path(), () -> new PortAssignment.FromStart(first));
        }
        SpecNode byNode = node.mapping("advertised-ports");
        SortedMap<Integer, Integer> ports = new TreeMap<>();
        byNode.entries().forEach((key, value) -> {
            String field = byNode.child(key);
            int nodeId;
            try {
                nodeId = Integer.parseInt(key);
            } catch (NumberFormatException e) {
                throw new SpecException(field, "\"" + key + "\" is not a node id; keys are node ids, e.g. 1: 9093");
            }
            ports.put(nodeId, SpecNode.integer(value, field));
        });
        return within(node.path(), () -> new PortAssignment.Explicit(ports));
    }

    private Broker broker(SpecNode node) {
        int nodeId = node.integer("node-id", "give the node.id, e.g. 1");
        String host = node.string("host", "give the internal host or IP other nodes reach this one at");
        String zone = node.string("zone", "give the zone id this node runs in");
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Optional<YamlNode> roleNodes = node.optional("roles");
        if (roleNodes.isEmpty()) {
            roles.addAll(EnumSet.allOf(Role.class));
        } else {
            List<YamlNode> items = SpecNode.list(roleNodes.get(), node.child("roles"));
            for (int i = 0; i < items.size(); i++) {
                String field = node.child("roles") + "[" + i + "]";
                lines.put(field, items.get(i).line());
                roles.add(Role.fromId(SpecNode.text(items.get(i), field), field));
            }
        }
        Optional<String> instance = node.optionalString("instance-id");
        node.finish();
        return within(node.path(), () -> new Broker(nodeId, host, zone, roles, instance));
    }

    /** Builds a model object, moving its relative field names under {@code path}. */
    private static <T> T within(String path, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (SpecException e) {
            throw e.under(path);
        } catch (IllegalArgumentException e) {
            throw new SpecException(path, e.getMessage());
        }
    }
}
