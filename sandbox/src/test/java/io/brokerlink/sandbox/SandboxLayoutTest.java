package io.brokerlink.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a cluster is laid out before anything starts: no broker runs here. */
class SandboxLayoutTest {

    @Test
    void externalOnAdvertisedPortsBindsEachNodesExternalListenerOnThePortItAdvertises() {
        List<SandboxNode> nodes = SandboxCluster.builder().firstAddress("127.0.61.1").advertisedPortBase(24_100)
                .externalOnAdvertisedPorts().layout();
        assertThat(nodes).extracting(SandboxNode::externalBind)
                .containsExactly("127.0.61.1:24100", "127.0.61.2:24101", "127.0.61.3:24102");
        assertThat(nodes).extracting(SandboxNode::advertisedPort).containsExactly(24_100, 24_101, 24_102);
        // Without it, the external port is the same on every node, apart from what is advertised.
        assertThat(SandboxCluster.builder().firstAddress("127.0.61.1").advertisedPortBase(24_100).externalPort(39_092)
                .layout()).extracting(SandboxNode::externalPort).containsExactly(39_092, 39_092, 39_092);
    }

    @Test
    void anAdvertisedPortInUseOnANodesAddressIsNamedBeforeAnythingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.61.2", 0));
            int port = taken.getLocalPort();
            // Node 2 advertises base + 1 = the taken port; ephemeral ports elsewhere are not checked in advance.
            SandboxCluster.Builder builder = SandboxCluster.builder().firstAddress("127.0.61.1").ephemeralPorts()
                    .advertisedPortBase(port - 1).externalOnAdvertisedPorts();
            assertThatThrownBy(builder::preflight).isInstanceOf(SandboxException.class)
                    .hasMessageContaining("advertised port (the EXTERNAL listener binds it)")
                    .hasMessageContaining("127.0.61.2:" + port + " is not free");
        }
    }
}
