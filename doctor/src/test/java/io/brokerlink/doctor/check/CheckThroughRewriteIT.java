package io.brokerlink.doctor.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.brokerlink.core.HostPort;
import io.brokerlink.doctor.check.CheckReport.BrokerResult;
import io.brokerlink.gateway.Gateway;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.rewrite.RewriteConfig;
import io.brokerlink.sandbox.SandboxCluster;
import io.brokerlink.sandbox.SandboxNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code doctor check} through rewrite mode: an unchanged cluster (its own advertised addresses) behind the
 * Kafka-aware gateway, which advertises the reference pattern's names on one port per broker. There is no bootstrap
 * port, so the broker ports are the bootstrap list (the Google Cloud port-mapping shape).
 */
class CheckThroughRewriteIT {

    static final String GATEWAY_ADDRESS = "127.0.40.30";
    static final String DOMAIN = CheckThroughPortmapIT.DOMAIN;

    @Test
    void allOkThroughRewriteMode() throws Exception {
        int firstPort = CheckThroughPortmapIT.freeRange(GATEWAY_ADDRESS, 3);
        try (SandboxCluster cluster = SandboxCluster.builder().ephemeralPorts().firstAddress("127.0.40.21").start()) {
            List<RewriteConfig.BrokerMapping> brokers = new ArrayList<>();
            List<HostPort> bootstrap = new ArrayList<>();
            for (SandboxNode n : cluster.nodes()) {
                int port = firstPort + n.nodeId() - 1;
                String name = "b" + n.nodeId() + "." + n.zone() + "." + DOMAIN;
                brokers.add(new RewriteConfig.BrokerMapping(n.nodeId(), null, new HostPort(GATEWAY_ADDRESS, port),
                        new HostPort(name, port)));
                bootstrap.add(new HostPort(name, port));
            }
            List<HostPort> upstream = cluster.nodes().stream()
                    .map(n -> new HostPort(n.address(), n.internalPort())).toList();
            RewriteConfig config = new RewriteConfig(
                    new CommonSettings(new AdminConfig(new HostPort(GATEWAY_ADDRESS, 0)), Duration.ofSeconds(1), 1000),
                    upstream, GATEWAY_ADDRESS, brokers, null, new RewriteConfig.Advertised(null, null, Map.of()),
                    null, null, 0, null);
            try (RunningGateway gateway = Gateway.start(config, new SimpleMeterRegistry())) {
                CheckReport report = LiveCheck.run(new CheckOptions(bootstrap,
                        ResolveRules.parse(List.of("*." + DOMAIN + "=" + GATEWAY_ADDRESS)), null, false, false,
                        Duration.ofSeconds(3)), System.err);
                String human = report.toHuman(false);
                assertThat(report.findings()).as(human).isEmpty();
                assertThat(report.bootstrap()).hasSize(3).allSatisfy(b -> assertThat(b.status()).isEqualTo(Status.OK));
                assertThat(report.brokers()).extracting(BrokerResult::host).containsExactly(
                        "b1.usw2-az1." + DOMAIN, "b2.usw2-az2." + DOMAIN, "b3.usw2-az3." + DOMAIN);
                assertThat(report.brokers()).extracting(BrokerResult::reachedNode).containsExactly(1, 2, 3);
                assertThat(report.dataPath().status()).as(human).isEqualTo(Status.OK);
                assertThat(report.dataPath().partitions()).allSatisfy(p -> assertThat(p.consumed()).isTrue());
                io.brokerlink.doctor.SchemaAssert.assertValid(io.brokerlink.doctor.JsonReport.write(report));
            }
        }
    }
}
