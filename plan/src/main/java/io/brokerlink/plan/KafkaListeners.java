package io.brokerlink.plan;

import io.brokerlink.core.Broker;
import io.brokerlink.core.BrokerEndpoint;
import io.brokerlink.core.Deployment;
import io.brokerlink.core.GroupPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The listener-related {@code server.properties} values of one node, in the seeds' KRaft layout. The single place
 * that turns the model into {@code listeners}, {@code advertised.listeners} and the protocol map, so a new cluster's
 * configs and an existing cluster's changes cannot disagree.
 */
final class KafkaListeners {

    static final String BIND_HOST = "0.0.0.0";
    /** The seeds' map: every named listener PLAINTEXT, plus the identity entries Kafka's default map has. */
    private static final List<String> DEFAULT_PROTOCOLS = List.of("SSL:SSL", "SASL_PLAINTEXT:SASL_PLAINTEXT",
            "SASL_SSL:SASL_SSL");

    private KafkaListeners() {
    }

    /** Listener name to {@code NAME://0.0.0.0:PORT}, in the seeds' order: INTERNAL, CONTROLLER, groups. */
    static Map<String, String> listeners(Deployment d, Broker b) {
        Map<String, String> out = new LinkedHashMap<>();
        if (b.isBroker()) {
            out.put(d.internal().name().value(), bind(d.internal().name().value(), d.internal().port()));
        }
        if (b.isController()) {
            out.put(d.controller().name().value(), bind(d.controller().name().value(), d.controller().port()));
        }
        for (GroupPlan g : groupsOf(d, b)) {
            out.put(g.name(), bind(g.name(), g.group().bindPort()));
        }
        return out;
    }

    /** Only brokers advertise; a controller-only node has no advertised client listener. */
    static Map<String, String> advertised(Deployment d, Broker b) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!b.isBroker()) {
            return out;
        }
        out.put(d.internal().name().value(), d.internal().name() + "://" + b.host() + ":" + d.internal().port());
        for (GroupPlan g : groupsOf(d, b)) {
            out.put(g.name(), g.name() + "://" + endpoint(g, b).advertised());
        }
        return out;
    }

    static Map<String, String> protocolMap(Deployment d) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(d.internal().name().value(), d.internal().name() + ":PLAINTEXT");
        out.put(d.controller().name().value(), d.controller().name() + ":PLAINTEXT");
        for (GroupPlan g : d.portPlan().groups()) {
            out.put(g.name(), g.name() + ":PLAINTEXT");
        }
        for (String entry : DEFAULT_PROTOCOLS) {
            out.put(entry.substring(0, entry.indexOf(':')), entry);
        }
        return out;
    }

    static String quorumVoters(Deployment d) {
        return d.controllers().stream().map(c -> c.nodeId() + "@" + c.host() + ":" + d.controller().port())
                .collect(Collectors.joining(","));
    }

    static List<GroupPlan> groupsOf(Deployment d, Broker b) {
        List<GroupPlan> out = new ArrayList<>();
        if (b.isBroker()) {
            out.addAll(d.portPlan().groups());
        }
        return out;
    }

    static BrokerEndpoint endpoint(GroupPlan g, Broker b) {
        return g.endpoints().stream().filter(e -> e.broker().nodeId() == b.nodeId()).findFirst().orElseThrow();
    }

    static String join(Map<String, String> entries) {
        return String.join(",", entries.values());
    }

    private static String bind(String name, int port) {
        return name + "://" + BIND_HOST + ":" + port;
    }
}
