package io.brokerlink.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxLifecycleIT {

    @Test
    void afterCloseNoPortThreadOrDataIsLeftBehind() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        SandboxCluster cluster = SandboxCluster.builder().firstAddress("127.0.2.1").start();
        Path data = cluster.dataDir();
        assertThat(Files.isDirectory(data)).isTrue();
        long stopStarted = System.nanoTime();
        cluster.close();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopStarted)).isLessThan(15);

        for (SandboxNode node : cluster.nodes()) {
            for (int port : new int[] {node.internalPort(), node.controllerPort(), node.externalPort()}) {
                try (ServerSocket socket = new ServerSocket()) {
                    socket.bind(new InetSocketAddress(node.address(), port));
                    assertThat(socket.getLocalPort()).isEqualTo(port);
                }
            }
        }
        assertThat(data).doesNotExist();
        Set<String> left = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .filter(t -> !t.getName().startsWith("ForkJoinPool.commonPool")) // JVM-wide pool, shared
                .map(Thread::getName).collect(Collectors.toSet());
        assertThat(left).as("threads left running after close").isEmpty();
    }

    @Test
    void theSamePortsServeASecondClusterAtOnce() throws Exception {
        SandboxCluster.builder().firstAddress("127.0.2.1").brokers(1).start().close();
        try (SandboxCluster again = SandboxCluster.builder().firstAddress("127.0.2.1").brokers(1).start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", again.internalBootstrap()))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void aPortInUseIsRefusedNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.2.1", 39092));
            assertThatThrownBy(() -> SandboxCluster.builder().firstAddress("127.0.2.1").start())
                    .isInstanceOf(SandboxException.class)
                    .hasMessageStartingWith("external port: 127.0.2.1:39092 is not free")
                    .extracting(e -> ((SandboxException) e).field()).isEqualTo("external port");
        }
    }

    @Test
    void keptDataDirectorySurvivesCloseAndRestarts(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("kept");
        try (SandboxCluster cluster = SandboxCluster.builder().ephemeralPorts().brokers(1).dataDir(data).start()) {
            assertThat(cluster.dataDir()).isEqualTo(data);
        }
        assertThat(data.resolve("node-1/meta.properties")).exists();
        try (SandboxCluster cluster = SandboxCluster.builder().ephemeralPorts().brokers(1).dataDir(data).start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.internalBootstrap()))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void saslListenerCanBeConfiguredThroughTheBuilder() throws Exception {
        try (SandboxCluster cluster = SandboxCluster.builder().ephemeralPorts().brokers(1)
                .listenerSecurity("EXTERNAL", "SASL_PLAINTEXT")
                .brokerProperty("sasl.enabled.mechanisms", "PLAIN")
                .brokerProperty("listener.name.external.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                + "user_alice=\"alice-secret\";")
                .start()) {
            assertThat(cluster.brokerConfig(1).getProperty("listener.security.protocol.map"))
                    .contains("EXTERNAL:SASL_PLAINTEXT");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.internalBootstrap()))) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
        }
    }

    @Test
    void aNodesRequestToExitTheJvmEndsOnlyTheAskingThread() {
        try (SandboxCluster cluster = SandboxCluster.builder().ephemeralPorts().brokers(1).start()) {
            assertThatThrownBy(() -> org.apache.kafka.common.utils.Exit.halt(1, "fatal fault in a test"))
                    .isInstanceOf(SandboxException.class).hasMessageContaining("status 1: fatal fault in a test");
            assertThatThrownBy(() -> org.apache.kafka.common.utils.Exit.exit(1))
                    .isInstanceOf(SandboxException.class);
            assertThat(cluster.isRunning(1)).isTrue();
        }
    }
}
