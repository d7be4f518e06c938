package io.brokerlink.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brokerlink.gateway.GatewayException;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DataPathTest {

    @AfterEach
    void clear() {
        System.clearProperty(DataPath.PROPERTY);
    }

    @Test
    void splicesOnEpollByDefaultAndCopiesOnNio() {
        assertThat(Epoll.isAvailable()).as("native epoll on this machine").isTrue();
        assertThat(DataPath.of(Transport.best())).isEqualTo(DataPath.SPLICE);
        assertThat(DataPath.of(Transport.nio())).isEqualTo(DataPath.COPY);
    }

    @Test
    void falseForcesCopiesOnEpollToo() {
        System.setProperty(DataPath.PROPERTY, "FALSE");
        assertThat(DataPath.of(Transport.best())).isEqualTo(DataPath.COPY);
        System.setProperty(DataPath.PROPERTY, " true ");
        assertThat(DataPath.of(Transport.best())).isEqualTo(DataPath.SPLICE);
    }

    @Test
    void anyOtherValueIsAnErrorNamingThePropertyAndTheValidValues() {
        System.setProperty(DataPath.PROPERTY, "yes");
        assertThatThrownBy(() -> DataPath.of(Transport.best())).isInstanceOf(GatewayException.class)
                .hasMessage("-Dbrokerlink.splice=yes is not a valid setting; use true (splice on epoll, the default)"
                        + " or false (copy through user space)");
    }
}
