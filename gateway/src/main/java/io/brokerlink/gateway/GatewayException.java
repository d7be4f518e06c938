package io.brokerlink.gateway;

/** The gateway could not start or run (a port already in use, an unreachable cluster); the message says which. */
public final class GatewayException extends RuntimeException {

    public GatewayException(String message) {
        super(message);
    }

    public GatewayException(String message, Throwable cause) {
        super(message, cause);
    }
}
