package io.brokerlink.gateway.rewrite;

/**
 * A request forwarded to the broker whose response is still expected: what the response is (api key and version
 * decide its layout) and when it was sent. A raw SASL token (after SaslHandshake v0) has no header at all.
 */
record InFlight(short apiKey, short apiVersion, int correlationId, long sentNanos, boolean rawSaslToken) {

    static InFlight rawToken(long now) {
        return new InFlight((short) -1, (short) -1, -1, now, true);
    }
}
