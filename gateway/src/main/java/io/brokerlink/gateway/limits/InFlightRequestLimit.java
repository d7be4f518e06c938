package io.brokerlink.gateway.limits;

import io.netty.channel.Channel;

/**
 * Requests in flight on one client connection (rewrite mode, which knows which requests await a response). At the
 * limit the gateway stops reading from the client, as a broker mutes a channel, and resumes when a response frees a
 * slot: the client sees latency, not an error. Used on the connection's event loop only.
 */
public final class InFlightRequestLimit {

    private final int max;
    private final LimitMeters meters;
    private final String listener;
    private boolean paused;

    public InFlightRequestLimit(int max, LimitMeters meters, String listener) {
        this.max = max;
        this.meters = meters;
        this.listener = listener;
    }

    /** After a request was forwarded; {@code inFlight} counts it. Pauses reading from {@code client} at the limit. */
    public void requestForwarded(Channel client, int inFlight) {
        if (inFlight >= max && !paused) {
            paused = true;
            client.config().setAutoRead(false);
            meters.hit(Limit.MAX_IN_FLIGHT_REQUESTS, listener, "paused reading from " + client.remoteAddress()
                    + " with " + inFlight + " requests awaiting responses (limit " + max + ")");
        }
    }

    /** After a response was forwarded; resumes reading once below the limit. */
    public void responseForwarded(Channel client, int inFlight) {
        if (paused && inFlight < max) {
            paused = false;
            client.config().setAutoRead(true);
        }
    }

    /** Whether forwarding a request that makes {@code inFlight} would pause reading. */
    public boolean pausesAt(int inFlight) {
        return inFlight >= max;
    }

    public boolean paused() {
        return paused;
    }
}
