package io.brokerlink.gateway.portmap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Which upstream brokers a listener may forward a new connection to, in the order to try them. */
sealed interface UpstreamRoute permits UpstreamRoute.BrokerPort, UpstreamRoute.BootstrapPort {

    /** The healthy (or not yet checked) candidates; empty means: close the client at once. */
    List<BrokerHealth> candidates();

    /** The metric reason when {@link #candidates()} is empty. */
    String unavailableReason();

    /** A per-broker port: its one broker, or nothing while that broker is unhealthy. */
    record BrokerPort(BrokerHealth broker) implements UpstreamRoute {
        @Override
        public List<BrokerHealth> candidates() {
            return broker.acceptsConnections() ? List.of(broker) : List.of();
        }

        @Override
        public String unavailableReason() {
            return "broker_unhealthy";
        }
    }

    /** A bootstrap port: every member, starting one further on each time (round robin), skipping unhealthy ones. */
    record BootstrapPort(List<BrokerHealth> members, AtomicInteger next) implements UpstreamRoute {
        BootstrapPort(List<BrokerHealth> members) {
            this(List.copyOf(members), new AtomicInteger());
        }

        @Override
        public List<BrokerHealth> candidates() {
            int start = Math.floorMod(next.getAndIncrement(), members.size());
            List<BrokerHealth> out = new ArrayList<>(members.size());
            for (int i = 0; i < members.size(); i++) {
                BrokerHealth member = members.get((start + i) % members.size());
                if (member.acceptsConnections()) {
                    out.add(member);
                }
            }
            return out;
        }

        @Override
        public String unavailableReason() {
            return "no_healthy_member";
        }
    }
}
