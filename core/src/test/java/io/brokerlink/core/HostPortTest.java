package io.brokerlink.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void configValueWithNameAndPortParses() {
        HostPort target = HostPort.parse("b1.usw2-az1.abc.us-west-2.aws.plc.example.com:9092", 1);
        assertThat(target.host()).isEqualTo("b1.usw2-az1.abc.us-west-2.aws.plc.example.com");
        assertThat(target.port()).isEqualTo(9092);
        assertThat(target).hasToString("b1.usw2-az1.abc.us-west-2.aws.plc.example.com:9092");
    }

    @Test
    void bracketedIpv6LiteralKeepsTheHostWithoutBracketsAndPrintsThemBack() {
        HostPort loopback = HostPort.parse("[::1]:9093", 1);
        assertThat(loopback.host()).isEqualTo("::1");
        assertThat(loopback.port()).isEqualTo(9093);
        assertThat(loopback).hasToString("[::1]:9093");
        assertThat(HostPort.parse("--bootstrap", " [fe80::1]:9092 ")).isEqualTo(new HostPort("fe80::1", 9092));
    }

    @Test
    void unbracketedIpv6LiteralIsRefusedBecauseItsPortIsAmbiguous() {
        assertThatThrownBy(() -> HostPort.parse("fe80::1:9092", 1))
                .hasMessage("\"fe80::1:9092\" is not HOST:PORT (write IPv6 literals as [::1]:PORT)");
        assertThatThrownBy(() -> HostPort.parse("--bootstrap", "fe80::1:9092"))
                .hasMessage("--bootstrap \"fe80::1:9092\": expected HOST:PORT, e.g. "
                        + "bootstrap.abc.us-west-2.aws.plc.example.com:9092 (write IPv6 literals as [::1]:9092)");
    }

    @Test
    void missingPortIsRefused() {
        assertThatThrownBy(() -> HostPort.parse("127.0.1.2", 1)).hasMessage("\"127.0.1.2\" is not HOST:PORT");
        assertThatThrownBy(() -> HostPort.parse("127.0.1.2:", 1)).hasMessage("\"127.0.1.2:\" is not HOST:PORT");
        assertThatThrownBy(() -> HostPort.parse(":9092", 1)).hasMessage("\":9092\" is not HOST:PORT");
        assertThatThrownBy(() -> HostPort.parse("[]:9092", 1)).hasMessage("\"[]:9092\" is not HOST:PORT");
        assertThatThrownBy(() -> HostPort.parse("--bootstrap", "broker.example.com"))
                .hasMessage("--bootstrap \"broker.example.com\": expected HOST:PORT, e.g. "
                        + "bootstrap.abc.us-west-2.aws.plc.example.com:9092");
    }

    @Test
    void portThatIsNotANumberIsRefused() {
        assertThatThrownBy(() -> HostPort.parse("broker:kafka", 1))
                .hasMessage("\"broker:kafka\" is not HOST:PORT (the port is not a number)");
        assertThatThrownBy(() -> HostPort.parse("--bootstrap", "broker:kafka"))
                .hasMessage("--bootstrap \"broker:kafka\": port \"kafka\" is not a port; use 1 to 65535");
    }

    @Test
    void portOutsideTheRangeIsRefusedWithTheRange() {
        assertThatThrownBy(() -> HostPort.parse("broker:70000", 1))
                .hasMessage("\"broker:70000\" has port 70000, which is not a port (1-65535)");
        assertThatThrownBy(() -> HostPort.parse("broker:0", 1))
                .hasMessage("\"broker:0\" has port 0, which is not a port (1-65535)");
        assertThatThrownBy(() -> HostPort.parse("broker:-1", 0))
                .hasMessage("\"broker:-1\" has port -1, which is not a port (0-65535)");
        assertThatThrownBy(() -> HostPort.parse("--bootstrap", "broker:0"))
                .hasMessage("--bootstrap \"broker:0\": port \"0\" is not a port; use 1 to 65535");
    }

    @Test
    void bindAddressMayAskForAnyFreePort() {
        assertThat(HostPort.parse("0.0.0.0:0", 0)).isEqualTo(new HostPort("0.0.0.0", 0));
    }

    @Test
    void constructorRefusesAnEmptyHostAndANonPort() {
        assertThatThrownBy(() -> new HostPort(" ", 9092)).hasMessage("host must not be empty");
        assertThatThrownBy(() -> new HostPort("broker", 65536)).hasMessage("65536 is not a port (0-65535)");
    }

    @Test
    void unresolvedAddressKeepsTheNameForEveryConnectToResolve() {
        InetSocketAddress address = new HostPort("b1.example.com", 9092).unresolved();
        assertThat(address.isUnresolved()).isTrue();
        assertThat(address.getHostString()).isEqualTo("b1.example.com");
        assertThat(address.getPort()).isEqualTo(9092);
    }
}
