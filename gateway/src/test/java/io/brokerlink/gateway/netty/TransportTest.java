package io.brokerlink.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.gateway.GatewayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransportTest {

    @AfterEach
    void clear() {
        System.clearProperty(Transport.EVENT_LOOPS_PROPERTY);
    }

    @Test
    void eventLoopsAreTheModesDefaultUnlessTheSystemPropertySaysOtherwise() {
        assertThat(Transport.eventLoops(2)).isEqualTo(2);
        System.setProperty(Transport.EVENT_LOOPS_PROPERTY, " 1 ");
        assertThat(Transport.eventLoops(2)).isEqualTo(1);
    }

    @Test
    void aCountOutsideOneTo256IsAnErrorNamingThePropertyAndTheRange() {
        for (String bad : new String[] {"0", "257", "two", ""}) {
            System.setProperty(Transport.EVENT_LOOPS_PROPERTY, bad);
            assertThatThrownBy(() -> Transport.eventLoops(2)).isInstanceOf(GatewayException.class)
                    .hasMessage("-Dbrokerlink.event-loops=" + bad
                            + " is not a thread count; use 1 to 256 (default: one per CPU)");
        }
    }
}
