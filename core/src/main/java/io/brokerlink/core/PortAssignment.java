package io.brokerlink.core;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** How a listener group's advertised ports are chosen: a range start, or one explicit port per node id. */
public sealed interface PortAssignment {

    /** Ports {@code start}, {@code start+1}, ... to the group's brokers in node-id order. */
    record FromStart(int start) implements PortAssignment {
        public FromStart {
            SpecException.port(start, "advertised-port-start");
        }
    }

    record Explicit(SortedMap<Integer, Integer> portByNodeId) implements PortAssignment {
        public Explicit {
            SpecException.require(portByNodeId != null && !portByNodeId.isEmpty(), "advertised-ports",
                    "empty; give NODE_ID: PORT for every broker of the group");
            Map<Integer, Integer> nodeByPort = new HashMap<>();
            for (Map.Entry<Integer, Integer> e : portByNodeId.entrySet()) {
                SpecException.port(e.getValue(), "advertised-ports." + e.getKey());
                Integer other = nodeByPort.putIfAbsent(e.getValue(), e.getKey());
                SpecException.require(other == null, "advertised-ports." + e.getKey(),
                        "port " + e.getValue() + " is already advertised by node " + other
                                + "; every broker needs its own advertised port");
            }
            portByNodeId = Collections.unmodifiableSortedMap(new TreeMap<>(portByNodeId));
        }
    }
}
