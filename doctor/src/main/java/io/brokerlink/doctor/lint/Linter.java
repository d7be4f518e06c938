package io.brokerlink.doctor.lint;

import io.brokerlink.doctor.Code;
import io.brokerlink.doctor.Finding;
import io.brokerlink.doctor.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Static checks of a set of broker configs: each file alone (listeners, names, placeholders), then across files
 * (ports, ranges, quorum voters, node ids). Findings come back sorted by file and line.
 */
public final class Linter {

    static final String LISTENERS = "listeners";
    static final String ADVERTISED = "advertised.listeners";
    static final String PROTOCOL_MAP = "listener.security.protocol.map";
    static final String INTER_BROKER = "inter.broker.listener.name";
    static final String CONTROLLER_NAMES = "controller.listener.names";
    static final String VOTERS = "controller.quorum.voters";
    static final String QUORUM_BOOTSTRAP = "controller.quorum.bootstrap.servers";

    /** The seeds' placeholders: {@code <port>}, {@code <broker_id>}, {@code unique_name}, {@code {broker-node1-ip}}. */
    private static final Pattern PLACEHOLDER =
            Pattern.compile("<[A-Za-z_]+>|\\{[A-Za-z0-9_.-]+}|\\bunique_name\\b");

    private final LintOptions options;
    private final List<Finding> findings = new ArrayList<>();

    private Linter(LintOptions options) {
        this.options = options;
    }

    public static List<Finding> lint(List<BrokerConfig> brokers, LintOptions options) {
        Linter linter = new Linter(options);
        linter.run(brokers);
        List<Finding> out = new ArrayList<>(linter.findings);
        out.sort(Comparator.comparing((Finding f) -> f.file() == null ? "" : f.file())
                .thenComparingInt(Finding::line).thenComparing(Finding::code));
        return out;
    }

    private void run(List<BrokerConfig> brokers) {
        Set<String> allGroups = new TreeSet<>();
        brokers.forEach(b -> allGroups.addAll(b.groups()));
        for (BrokerConfig b : brokers) {
            placeholders(b);
            required(b);
            listenerNames(b);
            listenerCompleteness(b, allGroups);
        }
        for (String group : allGroups) {
            advertisedNames(brokers, group);
        }
        ports(brokers, allGroups);
        quorumVoters(brokers);
        nodeIds(brokers);
        specNodes(brokers);
    }

    private void error(BrokerConfig b, Code code, int line, String message) {
        findings.add(Finding.at(Severity.ERROR, code, b.name(), line, message));
    }

    private void placeholders(BrokerConfig b) {
        for (PropertiesFile.Entry e : b.file().entries().values()) {
            Matcher m = PLACEHOLDER.matcher(e.value());
            Set<String> seen = new LinkedHashSet<>();
            while (m.find()) {
                seen.add(m.group());
            }
            for (String p : seen) {
                error(b, Code.BL120, e.lineOf(p), e.key() + " still contains the placeholder " + p + "; " + hint(p, b));
            }
        }
    }

    private static String hint(String placeholder, BrokerConfig b) {
        return switch (placeholder) {
            case "<port>" -> "replace it with this broker's own advertised port from its group's range";
            case "<broker_id>" -> "replace it with " + b.brokerLabel() + " (b + node.id)";
            case "<az_id>" -> "replace it with this broker's AZ id" + (b.rack() == null ? "" : " (" + b.rack() + ")");
            case "unique_name" -> "replace it with the name the consumer side assigned to the endpoint"
                    + " (known after the consumer attaches its domain)";
            default -> placeholder.startsWith("{")
                    ? "replace it with the real address (" + placeholder.substring(1, placeholder.length() - 1) + ")"
                    : "replace it with its real value";
        };
    }

    private static boolean hasPlaceholder(String s) {
        return s != null && PLACEHOLDER.matcher(s).find();
    }

    private void required(BrokerConfig b) {
        if (b.file().get("node.id").isEmpty()) {
            error(b, Code.BL106, 0, "node.id is not set; every KRaft node needs a unique node.id, e.g. node.id=1");
        } else if (b.nodeId() == null) {
            error(b, Code.BL106, b.line("node.id"), "node.id \"" + b.value("node.id").orElse("")
                    + "\" is not a number; use a unique integer such as 1");
        }
        if (b.file().get("process.roles").isEmpty()) {
            error(b, Code.BL106, 0, "process.roles is not set; use broker,controller (or broker / controller)");
        }
        for (PropertiesFile.Entry dup : b.file().duplicates()) {
            findings.add(Finding.at(Severity.WARNING, Code.BL106, b.name(), dup.line(), dup.key()
                    + " is set again on line " + b.line(dup.key()) + "; Kafka uses only the last value, remove one"));
        }
        for (String key : List.of(LISTENERS, ADVERTISED)) {
            Map<String, ListenerAddress> list = key.equals(LISTENERS) ? b.listeners() : b.advertised();
            for (ListenerAddress a : list.values()) {
                if (a.host() == null) {
                    error(b, Code.BL106, b.line(key), key + " item \"" + a.name()
                            + "\" is not NAME://HOST:PORT, e.g. EXTERNAL://0.0.0.0:39092");
                }
            }
        }
    }

    private void listenerNames(BrokerConfig b) {
        String ibl = b.interBrokerListener();
        if (ibl == null) {
            if (b.isBroker()) {
                error(b, Code.BL104, 0, INTER_BROKER + " is not set; set it to the cluster-internal listener,"
                        + " e.g. inter.broker.listener.name=INTERNAL");
            }
        } else if (!b.listeners().containsKey(ibl)) {
            error(b, Code.BL104, b.line(INTER_BROKER), INTER_BROKER + "=" + ibl + " is not one of the listeners "
                    + b.listeners().keySet() + "; name the internal listener, e.g. INTERNAL");
        } else if (ibl.startsWith("EXTERNAL")) {
            error(b, Code.BL104, b.line(INTER_BROKER), INTER_BROKER + "=" + ibl + " sends replication through the"
                    + " private endpoint's listener; use the internal listener, e.g. INTERNAL");
        }
        if (b.controllerListeners().isEmpty()) {
            error(b, Code.BL105, b.line(CONTROLLER_NAMES), CONTROLLER_NAMES
                    + " is not set; KRaft needs it, e.g. controller.listener.names=CONTROLLER");
            return;
        }
        for (String c : b.controllerListeners()) {
            if (c.equals(ibl)) {
                error(b, Code.BL105, b.line(CONTROLLER_NAMES), CONTROLLER_NAMES + " names " + c
                        + ", the inter-broker listener; give the controllers their own listener, e.g. CONTROLLER");
            } else if (c.startsWith("EXTERNAL")) {
                error(b, Code.BL105, b.line(CONTROLLER_NAMES), CONTROLLER_NAMES + " names " + c
                        + ", a client-facing group; use a dedicated listener, e.g. CONTROLLER");
            }
        }
    }

    private void listenerCompleteness(BrokerConfig b, Set<String> allGroups) {
        int listenersLine = b.line(LISTENERS);
        int advertisedLine = b.line(ADVERTISED);
        int mapLine = b.line(PROTOCOL_MAP);
        String ibl = b.interBrokerListener();
        if (ibl != null && !b.advertised().isEmpty() && !b.advertised().containsKey(ibl) && b.isBroker()) {
            error(b, Code.BL102, advertisedLine, ibl + " (the inter-broker listener) is in listeners but not in "
                    + ADVERTISED + "; add " + ibl + "://HOST:PORT with an address the other brokers reach");
        }
        if (b.isController()) {
            for (String c : b.controllerListeners()) {
                if (!b.listeners().containsKey(c)) {
                    error(b, Code.BL101, listenersLine, c + " (from " + CONTROLLER_NAMES + ") is not in listeners;"
                            + " add " + c + "://0.0.0.0:PORT (the port controller.quorum.voters uses)");
                }
            }
        }
        Set<String> named = new LinkedHashSet<>(b.listeners().keySet());
        named.addAll(b.advertised().keySet());
        named.addAll(b.controllerListeners());
        if (ibl != null) {
            named.add(ibl);
        }
        if (b.file().get(PROTOCOL_MAP).isEmpty()) {
            error(b, Code.BL103, 0, PROTOCOL_MAP + " is not set; map every listener, e.g. "
                    + named.stream().map(n -> n + ":PLAINTEXT").collect(Collectors.joining(",")));
        } else {
            for (String n : named) {
                if (!b.protocolMap().containsKey(n)) {
                    error(b, Code.BL103, mapLine, n + " is not in " + PROTOCOL_MAP + "; add " + n
                            + ":PLAINTEXT (or its real protocol) so Kafka knows how to speak on it");
                }
            }
        }
        for (String g : b.groups()) {
            if (!b.listeners().containsKey(g)) {
                error(b, Code.BL101, listenersLine, g + " is advertised but not in listeners; add " + g
                        + "://0.0.0.0:BIND_PORT (the port the load balancer targets)");
            }
            if (!b.advertised().containsKey(g)) {
                error(b, Code.BL102, advertisedLine == 0 ? listenersLine : advertisedLine, g
                        + " is in listeners but not in " + ADVERTISED + "; add " + g
                        + "://ADVERTISED_HOST:PORT following the pattern, or clients are told the bind address");
            }
        }
        for (String g : allGroups) {
            if (!b.groups().contains(g)) {
                error(b, Code.BL107, listenersLine, "listener group " + g + " exists on other brokers but not on "
                        + b.brokerLabel() + "; add it to listeners, " + ADVERTISED + " and " + PROTOCOL_MAP);
            }
        }
    }

    /** Brokers' advertised hosts of one group against the given or most common pattern. */
    private void advertisedNames(List<BrokerConfig> brokers, String group) {
        Map<BrokerConfig, ListenerAddress> addresses = new LinkedHashMap<>();
        for (BrokerConfig b : brokers) {
            ListenerAddress a = b.advertised().get(group);
            if (a != null && a.host() != null && !hasPlaceholder(a.hostPort()) && !a.host().isBlank()) {
                addresses.put(b, a);
            }
        }
        if (addresses.isEmpty()) {
            return;
        }
        HostPattern pattern = options.patternFor(group).orElseGet(() -> infer(addresses));
        boolean inferred = options.patternFor(group).isEmpty();
        String source = inferred ? "the shape most brokers use (" + pattern.text() + ":<port>)"
                : "the pattern " + pattern.text() + ":<port>";
        for (Map.Entry<BrokerConfig, ListenerAddress> e : addresses.entrySet()) {
            BrokerConfig b = e.getKey();
            ListenerAddress a = e.getValue();
            var planned = options.planned(group, b.nodeId());
            if (planned.isPresent()) {
                plannedAddress(b, group, a, planned.get());
                continue;
            }
            String zone = options.zones().getOrDefault(b.nodeId(), b.rack());
            String expected = pattern.expectedHost(b.nodeId(), zone) + ":" + a.rawPort();
            int line = b.line(ADVERTISED, group);
            String what = ADVERTISED + " " + group + "://" + a.hostPort();
            for (HostPattern.Deviation d : pattern.compare(a.host(), b.nodeId(), zone)) {
                if (d instanceof HostPattern.Deviation.WrongBrokerLabel w) {
                    error(b, Code.BL111, line, what + ": <broker_id> is " + w.actual() + " but node.id is "
                            + b.nodeId() + "; use " + expected);
                } else if (d instanceof HostPattern.Deviation.WrongZone w) {
                    error(b, Code.BL112, line, what + ": AZ label " + w.actual() + " is not this broker's zone "
                            + zone + (options.zones().containsKey(b.nodeId()) ? " (from the spec)" : " (broker.rack)")
                            + (HostPattern.looksLikeZoneName(w.actual())
                                    ? "; it looks like an AZ name, the pattern carries AZ ids" : "")
                            + "; use " + expected);
                } else if (d instanceof HostPattern.Deviation.ZoneLabelMissing) {
                    error(b, Code.BL113, line, what + " has no AZ label while " + source + " has one; use "
                            + expected);
                } else if (d instanceof HostPattern.Deviation.ZoneLabelExtra z) {
                    error(b, Code.BL113, line, what + " carries the AZ label " + z.label() + " while " + source
                            + " has none; use " + expected + " (or give every broker its AZ label)");
                } else {
                    error(b, Code.BL110, line, what + " does not follow " + source + "; use " + expected);
                }
            }
        }
    }

    /** A broker the spec plans: its host against its zone's pattern, its port against the port plan. */
    private void plannedAddress(BrokerConfig b, String group, ListenerAddress a, LintOptions.Planned planned) {
        String zone = options.zones().get(b.nodeId());
        String expected = planned.pattern().expectedHost(b.nodeId(), zone) + ":" + planned.port();
        int line = b.line(ADVERTISED, group);
        String what = ADVERTISED + " " + group + "://" + a.hostPort();
        String source = "the spec's pattern " + planned.pattern().text() + ":<port>";
        for (HostPattern.Deviation d : planned.pattern().compare(a.host(), b.nodeId(), zone)) {
            if (d instanceof HostPattern.Deviation.WrongBrokerLabel w) {
                error(b, Code.BL111, line, what + ": <broker_id> is " + w.actual() + " but node.id is "
                        + b.nodeId() + "; use " + expected);
            } else if (d instanceof HostPattern.Deviation.WrongZone w) {
                error(b, Code.BL112, line, what + ": AZ label " + w.actual() + " is not this broker's zone " + zone
                        + " (from the spec)" + (HostPattern.looksLikeZoneName(w.actual())
                                ? "; it looks like an AZ name, the pattern carries AZ ids" : "") + "; use " + expected);
            } else if (d instanceof HostPattern.Deviation.ZoneLabelMissing) {
                error(b, Code.BL113, line, what + " has no AZ label while " + source + " has one; use " + expected);
            } else if (d instanceof HostPattern.Deviation.ZoneLabelExtra z) {
                error(b, Code.BL113, line, what + " carries the AZ label " + z.label() + " while " + source
                        + " has none; use " + expected);
            } else {
                error(b, Code.BL110, line, what + " does not follow " + source + "; use " + expected);
            }
        }
        if (a.port() > 0 && a.port() != planned.port()) {
            error(b, Code.BL133, line, what + ": advertised port " + a.port() + " is not the port " + planned.port()
                    + " the spec's port plan gives " + b.brokerLabel() + " in " + group + "; use " + expected);
        }
    }

    private static HostPattern infer(Map<BrokerConfig, ListenerAddress> addresses) {
        Map<HostPattern, Integer> counts = new LinkedHashMap<>();
        addresses.forEach((b, a) -> counts.merge(HostPattern.shapeOf(a.host(), b.rack()), 1, Integer::sum));
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        // Ties go to the first file's shape: stable, and the first file is usually the one copied from.
        return counts.entrySet().stream().filter(e -> e.getValue() == max).findFirst().orElseThrow().getKey();
    }

    private record PortUse(BrokerConfig broker, String group, int port) {
        String where() {
            return broker.brokerLabel() + " (" + broker.name() + ":" + line() + ")";
        }

        int line() {
            return broker.line(ADVERTISED, group);
        }
    }

    private void ports(List<BrokerConfig> brokers, Set<String> groups) {
        Map<String, List<PortUse>> byGroup = new TreeMap<>();
        for (String g : groups) {
            for (BrokerConfig b : brokers) {
                ListenerAddress a = b.advertised().get(g);
                if (a != null && a.port() > 0) {
                    byGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(new PortUse(b, g, a.port()));
                }
            }
        }
        int highest = byGroup.values().stream().flatMap(List::stream).mapToInt(PortUse::port).max().orElse(0);
        // Two brokers of one group on one port: the load balancer can forward a port to one broker only.
        for (List<PortUse> uses : byGroup.values()) {
            Map<Integer, PortUse> first = new TreeMap<>();
            for (PortUse u : uses) {
                PortUse earlier = first.putIfAbsent(u.port(), u);
                if (earlier != null) {
                    error(u.broker(), Code.BL130, u.line(), u.group() + " port " + u.port()
                            + " of " + u.broker().brokerLabel() + " is also advertised by " + earlier.where()
                            + "; every broker needs its own port, e.g. " + (highest + 1));
                    highest++;
                }
            }
        }
        // Groups: ranges [min, max] must be disjoint, or a port of one group lands on another group's broker.
        List<String> names = new ArrayList<>(byGroup.keySet());
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                List<PortUse> a = byGroup.get(names.get(i));
                List<PortUse> b = byGroup.get(names.get(j));
                int aMin = min(a), aMax = max(a), bMin = min(b), bMax = max(b);
                if (aMin <= bMax && bMin <= aMax) {
                    List<PortUse> later = aMin <= bMin ? b : a;
                    int otherMin = aMin <= bMin ? aMin : bMin, otherMax = aMin <= bMin ? aMax : bMax;
                    String otherName = aMin <= bMin ? names.get(i) : names.get(j);
                    PortUse inside = later.stream().filter(u -> u.port() >= otherMin && u.port() <= otherMax)
                            .min(Comparator.comparingInt(PortUse::port)).orElse(later.get(0));
                    int size = max(later) - min(later);
                    int start = ((highest / 100) + 1) * 100 + Math.floorMod(min(a), 100);
                    error(inside.broker(), Code.BL131, inside.line(), inside.group()
                            + " range " + min(later) + "-" + max(later) + " overlaps " + otherName + " range "
                            + otherMin + "-" + otherMax + " (" + inside.broker().brokerLabel() + " advertises "
                            + inside.group() + " port " + inside.port() + "); move " + inside.group()
                            + " to a range of its own, e.g. " + start + "-" + (start + size));
                }
            }
        }
        for (List<PortUse> uses : byGroup.values()) {
            int lo = min(uses), hi = max(uses);
            for (int bootstrap : options.bootstrapPorts()) {
                if (bootstrap >= lo && bootstrap <= hi) {
                    PortUse u = uses.stream().filter(x -> x.port() == bootstrap).findFirst().orElse(uses.get(0));
                    error(u.broker(), Code.BL132, u.line(), u.group() + " range " + lo + "-" + hi
                            + " contains the bootstrap port " + bootstrap + "; keep bootstrap ports outside every"
                            + " group's range, e.g. bootstrap " + (lo - 1) + " before " + lo + "-" + hi);
                }
            }
        }
    }

    private static int min(List<PortUse> uses) {
        return uses.stream().mapToInt(PortUse::port).min().orElse(0);
    }

    private static int max(List<PortUse> uses) {
        return uses.stream().mapToInt(PortUse::port).max().orElse(0);
    }

    private void quorumVoters(List<BrokerConfig> brokers) {
        Map<String, List<BrokerConfig>> byValue = new LinkedHashMap<>();
        for (BrokerConfig b : brokers) {
            if (b.file().get(QUORUM_BOOTSTRAP).isPresent() && b.file().get(VOTERS).isEmpty()) {
                continue; // dynamic quorum (KIP-853): voters come from the metadata log, not from this file
            }
            String v = b.value(VOTERS).map(Linter::normalizeVoters).orElse("");
            byValue.computeIfAbsent(v, k -> new ArrayList<>()).add(b);
        }
        if (byValue.isEmpty()) {
            return;
        }
        String majority = byValue.entrySet().stream()
                .max(Comparator.comparingInt((Map.Entry<String, List<BrokerConfig>> e) -> e.getValue().size()))
                .orElseThrow().getKey();
        for (Map.Entry<String, List<BrokerConfig>> e : byValue.entrySet()) {
            if (e.getKey().equals(majority)) {
                continue;
            }
            for (BrokerConfig b : e.getValue()) {
                String shown = b.value(VOTERS).orElse(null);
                error(b, Code.BL140, b.line(VOTERS), shown == null
                        ? VOTERS + " is not set while the other brokers use " + majority + "; set the same value"
                        : VOTERS + "=" + shown + " differs from the other brokers' " + majority
                                + "; every node must list the same voters");
            }
        }
        if (majority.isEmpty()) {
            return;
        }
        Set<Integer> voterIds = new TreeSet<>();
        for (String v : majority.split(",")) {
            int at = v.indexOf('@');
            try {
                voterIds.add(Integer.parseInt(at < 0 ? v : v.substring(0, at)));
            } catch (NumberFormatException x) {
                // a malformed voter is named by the message below through the missing controller
            }
        }
        for (BrokerConfig b : byValue.get(majority)) {
            if (b.isController() && b.nodeId() != null && !voterIds.contains(b.nodeId())) {
                error(b, Code.BL141, b.line(VOTERS), VOTERS + " does not name this controller (node.id="
                        + b.nodeId() + "); add " + b.nodeId() + "@HOST:CONTROLLER_PORT on every node");
            }
        }
        for (BrokerConfig b : brokers) {
            if (b.isController() && b.nodeId() != null && !voterIds.contains(b.nodeId())
                    && !byValue.get(majority).contains(b) && b.file().get(VOTERS).isPresent()) {
                error(b, Code.BL141, b.line(VOTERS), "the brokers' " + VOTERS + " does not name this controller"
                        + " (node.id=" + b.nodeId() + "); add " + b.nodeId() + "@HOST:CONTROLLER_PORT on every node");
            }
        }
    }

    private static String normalizeVoters(String v) {
        return BrokerConfig.splitList(v).stream().collect(Collectors.joining(","));
    }

    private void nodeIds(List<BrokerConfig> brokers) {
        Map<Integer, BrokerConfig> seen = new TreeMap<>();
        for (BrokerConfig b : brokers) {
            if (b.nodeId() == null) {
                continue;
            }
            BrokerConfig earlier = seen.putIfAbsent(b.nodeId(), b);
            if (earlier != null) {
                int free = seen.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
                error(b, Code.BL150, b.line("node.id"), "node.id=" + b.nodeId() + " is also used by "
                        + earlier.name() + ":" + earlier.line("node.id") + "; every node needs its own id, e.g. "
                        + free);
            }
        }
    }

    /** With a spec, the files and the spec must name the same nodes; a subset of files only gets a warning. */
    private void specNodes(List<BrokerConfig> brokers) {
        Set<Integer> specNodes = options.specNodes();
        if (specNodes.isEmpty()) {
            return;
        }
        Set<Integer> inFiles = new TreeSet<>();
        for (BrokerConfig b : brokers) {
            if (b.nodeId() == null) {
                continue;
            }
            inFiles.add(b.nodeId());
            if (!specNodes.contains(b.nodeId())) {
                error(b, Code.BL152, b.line("node.id"), "node.id=" + b.nodeId() + " is not a node of the spec, which "
                        + "lists nodes " + new TreeSet<>(specNodes) + "; fix node.id or add the node to the spec");
            }
        }
        for (int node : new TreeSet<>(specNodes)) {
            if (!inFiles.contains(node)) {
                findings.add(Finding.about(Severity.WARNING, Code.BL151, "node " + node, "node " + node
                        + " is in the spec but none of the files linted has node.id=" + node + "; lint every node's "
                        + "file together so the checks across files (ports, voters, node ids) cover it"));
            }
        }
    }
}
