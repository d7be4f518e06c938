package io.brokerlink.gateway.testkit;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/** Kafka client settings for a test's bootstrap: Admin, producer and consumer settings start here. */
public final class ClientSettings {

    private ClientSettings() {
    }

    /**
     * {@code security} (e.g. {@link SecureListeners#client}) plus the bootstrap, with request and API timeouts that
     * make a refused or lost connection fail the test in seconds instead of the clients' minutes.
     */
    public static Map<String, Object> of(String bootstrap, Map<String, Object> security) {
        Map<String, Object> props = new HashMap<>(security);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        return props;
    }
}
