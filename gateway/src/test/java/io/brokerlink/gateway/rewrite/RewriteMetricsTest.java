package io.brokerlink.gateway.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

/**
 * Found with GatewayFuzzIT's unknown-api-key cases: the per-API meters sat in a 256-slot array indexed by
 * {@code apiKey & 255}, so api key 12835 took DescribeLogDirs' slot (35) under the tag {@code unknown_12835}, and
 * DescribeLogDirs requests were counted there from then on (or the other way round, whichever came first).
 */
class RewriteMetricsTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final RewriteMetrics metrics = new RewriteMetrics(registry);

    double requests(String api) {
        Counter c = registry.find("brokerlink.gateway.requests").tag("api", api).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void anUnknownApiKeyDoesNotTakeTheSlotOfTheKnownKeyItSharesLowBitsWith() {
        metrics.request(12835); // 12835 & 255 == 35
        metrics.request(ApiKeys.DESCRIBE_LOG_DIRS.id);
        metrics.request(ApiKeys.DESCRIBE_LOG_DIRS.id);

        assertThat(requests(ApiKeys.DESCRIBE_LOG_DIRS.name)).isEqualTo(2);
        assertThat(requests("unknown")).isEqualTo(1);
    }

    @Test
    void everyUnknownApiKeySharesOneMeter() {
        for (int key = -32768; key <= 32767; key += 7) {
            if (!ApiKeys.hasId(key)) {
                metrics.request(key);
                metrics.latency(key, 1000);
            }
        }
        assertThat(registry.find("brokerlink.gateway.requests").counters()).hasSize(1);
        assertThat(registry.find("brokerlink.gateway.request.latency").timers()).hasSize(1);
        assertThat(requests("unknown")).isGreaterThan(9000);
    }
}
