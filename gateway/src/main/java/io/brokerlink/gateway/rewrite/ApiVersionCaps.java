package io.brokerlink.gateway.rewrite;

import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The highest version of each API whose responses this gateway decodes: what its kafka-clients can parse. The
 * generated readers have no upper-version guard (a newer version would be mis-read silently), so ApiVersions
 * responses are capped to these, and a request above them is refused.
 */
final class ApiVersionCaps {

    private final Map<ApiKeys, Short> caps = new EnumMap<>(ApiKeys.class);

    ApiVersionCaps(FetchEndpointsMode fetchMode) {
        for (ApiKeys key : new ApiKeys[] {ApiKeys.PRODUCE, ApiKeys.FETCH, ApiKeys.METADATA, ApiKeys.FIND_COORDINATOR,
                ApiKeys.DESCRIBE_CLUSTER, ApiKeys.SHARE_FETCH, ApiKeys.SHARE_ACKNOWLEDGE, ApiKeys.API_VERSIONS,
                ApiKeys.SASL_HANDSHAKE, ApiKeys.DESCRIBE_CONFIGS, ApiKeys.DESCRIBE_QUORUM}) {
            caps.put(key, key.latestVersion(true));
        }
        if (fetchMode == FetchEndpointsMode.CAP_V15) {
            caps.put(ApiKeys.FETCH, (short) 15);
        }
    }

    /** -1 when the gateway does not decode this API (any version passes). */
    short cap(int apiKey) {
        if (!ApiKeys.hasId(apiKey)) {
            return -1;
        }
        Short cap = caps.get(ApiKeys.forId(apiKey));
        return cap == null ? -1 : cap;
    }
}
