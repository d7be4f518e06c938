package io.brokerlink.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdvertisedPatternTest {

    @Test
    void referencePatternGivesTheSeedsNames() {
        assertThat(AdvertisedPattern.REFERENCE.host(1, "usw2-az1"))
                .isEqualTo("b1.usw2-az1.abc.us-west-2.aws.plc.example.com");
        assertThat(AdvertisedPattern.REFERENCE.host(3, "usw2-az3"))
                .isEqualTo("b3.usw2-az3.abc.us-west-2.aws.plc.example.com");
    }

    @Test
    void patternWithoutZoneIgnoresTheZone() {
        AdvertisedPattern gcp = new AdvertisedPattern("<broker_id>.abc.us-west1.gcp.example.com:<port>");
        assertThat(gcp.hasZone()).isFalse();
        assertThat(gcp.host(2, "us-west1-a")).isEqualTo("b2.abc.us-west1.gcp.example.com");
    }

    @Test
    void patternWithoutBrokerIdIsRefusedWithAnExample() {
        assertThatThrownBy(() -> new AdvertisedPattern("broker.example.com:<port>"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<broker_id>")
                .hasMessageContaining(AdvertisedPattern.REFERENCE.text());
    }

    @Test
    void patternWithoutPortIsRefused() {
        assertThatThrownBy(() -> new AdvertisedPattern("<broker_id>.example.com:9093"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<port>");
    }

    @Test
    void zonePlaceholderNeedsAZone() {
        assertThatThrownBy(() -> AdvertisedPattern.REFERENCE.host(1, null))
                .hasMessageContaining("broker 1 has no zone");
    }
}
