package io.brokerlink.gateway.portmap;

import io.brokerlink.core.HostPort;
import java.util.Objects;

/**
 * The health of one upstream address as TCP checks see it. The first result decides at once (so a fresh gateway
 * becomes ready after one round); afterwards a state changes only after the configured run of results.
 * Mutated only on the checker's event loop; read from any thread.
 */
public final class BrokerHealth {

    /** UNKNOWN until the first check has answered; connections are forwarded while UNKNOWN. */
    public enum State { UNKNOWN, HEALTHY, UNHEALTHY }

    private final HostPort target;
    private final int healthyThreshold;
    private final int unhealthyThreshold;
    private volatile State state = State.UNKNOWN;
    private volatile String lastFailure = "";
    private int successes;
    private int failures;

    BrokerHealth(HostPort target, HealthCheckConfig config) {
        this.target = Objects.requireNonNull(target, "target");
        this.healthyThreshold = config.healthyThreshold();
        this.unhealthyThreshold = config.unhealthyThreshold();
    }

    public HostPort target() {
        return target;
    }

    public State state() {
        return state;
    }

    /** Whether new connections may go to this broker. */
    public boolean acceptsConnections() {
        return state != State.UNHEALTHY;
    }

    public String lastFailure() {
        return lastFailure;
    }

    /** @return the new state when it changed, else null */
    State recordSuccess() {
        failures = 0;
        successes++;
        if (state == State.UNKNOWN || (state == State.UNHEALTHY && successes >= healthyThreshold)) {
            state = State.HEALTHY;
            return state;
        }
        return null;
    }

    /** @return the new state when it changed, else null */
    State recordFailure(String reason) {
        successes = 0;
        failures++;
        lastFailure = reason;
        if (state == State.UNKNOWN || (state == State.HEALTHY && failures >= unhealthyThreshold)) {
            state = State.UNHEALTHY;
            return state;
        }
        return null;
    }
}
