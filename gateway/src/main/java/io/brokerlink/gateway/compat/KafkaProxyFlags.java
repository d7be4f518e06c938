package io.brokerlink.gateway.compat;

import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.limits.ConnectionLimits;
import io.brokerlink.gateway.config.HostPort;
import io.brokerlink.gateway.rewrite.FetchEndpointsMode;
import io.brokerlink.gateway.rewrite.RewriteConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * grepplabs kafka-proxy's {@code server} flags as a rewrite-mode configuration.
 *
 * <p>{@code --bootstrap-server-mapping "UPSTREAM,LISTEN[,ADVERTISED]"} becomes an address-keyed broker entry;
 * {@code --dynamic-sequential-min-port} and {@code --dynamic-advertised-listener} the dynamic range with a fixed
 * advertised host. kafka-proxy numbers dynamic ports in discovery order; here a broker's port is
 * {@code min-port + (node id - first)}, where {@code first} is one more than the highest {@code b<N>} label of
 * the mappings' advertised hosts (the seed maps b1..b3, so broker 4 gets 9095 as in the seed, on every instance).
 */
public final class KafkaProxyFlags {

    private static final Pattern BROKER_LABEL = Pattern.compile("^b(\\d+)\\.", Pattern.CASE_INSENSITIVE);

    /** Flags refused, by prefix, with the reason. */
    private static final Map<String, String> REFUSED = new LinkedHashMap<>();

    static {
        String tls = "TLS is not implemented in brokerlink gateway rewrite mode (plaintext only); terminate TLS in "
                + "front of the gateway or use portmap mode, which passes TLS bytes through";
        String sasl = "the gateway does not authenticate on the client's behalf; SASL exchanges of the clients "
                + "themselves pass through unchanged";
        String buffers = "BrokerLink sizes its own buffers and keep-alives (pooled buffers with back-pressure)";
        REFUSED.put("--tls-", tls);
        REFUSED.put("--proxy-listener-tls-", tls);
        REFUSED.put("--proxy-listener-cert", tls);
        REFUSED.put("--proxy-listener-key", tls);
        REFUSED.put("--proxy-listener-ca", tls);
        REFUSED.put("--proxy-listener-cipher", tls);
        REFUSED.put("--same-client-cert-enable", tls);
        REFUSED.put("--sasl-", sasl);
        REFUSED.put("--gssapi-", sasl);
        REFUSED.put("--auth-", sasl);
        REFUSED.put("--proxy-listener-read-buffer-size", buffers);
        REFUSED.put("--proxy-listener-write-buffer-size", buffers);
        REFUSED.put("--proxy-listener-keep-alive", buffers);
        REFUSED.put("--proxy-request-buffer-size", buffers);
        REFUSED.put("--proxy-response-buffer-size", buffers);
        REFUSED.put("--kafka-connection-read-buffer-size", buffers);
        REFUSED.put("--kafka-connection-write-buffer-size", buffers);
        REFUSED.put("--kafka-keep-alive", buffers);
        REFUSED.put("--kafka-read-timeout", buffers);
        REFUSED.put("--kafka-write-timeout", buffers);
        REFUSED.put("--kafka-max-open-requests", buffers);
        REFUSED.put("--forward-proxy", "connecting to brokers through a SOCKS5/HTTP proxy is not supported");
        REFUSED.put("--external-server-mapping", "brokers served by another proxy instance are not supported: "
                + "every instance serves every broker (ports are derived from node ids)");
        REFUSED.put("--dial-address-mapping", "dial-address rewriting is not supported; give the reachable address "
                + "in --bootstrap-server-mapping");
        REFUSED.put("--forbidden-api-keys", "forbidding API keys is not supported");
        REFUSED.put("--producer-acks-0-disabled", "acks=0 produce is always forwarded");
        REFUSED.put("--debug-", "the debug endpoint is not supported; use the admin /status and /metrics");
        REFUSED.put("--http-disable", "the admin endpoint is always on (health, readiness, metrics)");
        REFUSED.put("--http-health-path", "the admin paths are fixed: /healthz /readyz /metrics /status");
        REFUSED.put("--http-metrics-path", "the admin paths are fixed: /healthz /readyz /metrics /status");
        REFUSED.put("--log-", "logging is configured through Logback (-Dlogback.configurationFile), not flags");
    }

    private KafkaProxyFlags() {
    }

    /** Whether a command line is kafka-proxy's (its {@code server} subcommand or one of its mapping flags). */
    public static boolean looksLikeKafkaProxy(List<String> args) {
        return !args.isEmpty() && (args.get(0).equals("server")
                || args.stream().anyMatch(a -> a.startsWith("--bootstrap-server-mapping")));
    }

    /**
     * @param args the arguments after the program name, with or without kafka-proxy's {@code server}
     * @throws IllegalArgumentException naming the flag, the value and what would be valid
     */
    public static RewriteConfig parse(List<String> args) {
        List<String> rest = new ArrayList<>(args);
        if (!rest.isEmpty() && rest.get(0).equals("server")) {
            rest.remove(0);
        }
        List<RewriteConfig.BrokerMapping> mappings = new ArrayList<>();
        Integer minPort = null;
        int maxPorts = 0;
        String dynamicAdvertised = null;
        String listenIp = "0.0.0.0";
        boolean dynamicEnabled = true;
        int maxFrame = 0; // 0: the default limit
        Duration dial = null;
        CommonSettings common = CommonSettings.DEFAULT;
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("\"" + arg + "\": kafka-proxy server takes only --flags");
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            for (Map.Entry<String, String> refused : REFUSED.entrySet()) {
                if (name.startsWith(refused.getKey())) {
                    throw new IllegalArgumentException(name + ": not supported by brokerlink gateway: "
                            + refused.getValue());
                }
            }
            boolean bool = switch (name) {
                case "--deterministic-listeners", "--dynamic-listeners-disable" -> true;
                default -> false;
            };
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (bool) {
                value = "true";
            } else if (i + 1 < rest.size()) {
                value = rest.get(++i);
            } else {
                throw new IllegalArgumentException(name + ": needs a value");
            }
            switch (name) {
                case "--bootstrap-server-mapping" -> mappings.add(mapping(value));
                case "--dynamic-sequential-min-port" -> minPort = integer(name, value, 1, 65535);
                case "--dynamic-sequential-max-ports" -> maxPorts = integer(name, value, 0, 65535);
                case "--dynamic-advertised-listener" -> dynamicAdvertised = advertisedHost(value);
                case "--default-listener-ip" -> listenIp = value;
                case "--deterministic-listeners" -> { } // always: ports are a function of the node id
                case "--dynamic-listeners-disable" -> dynamicEnabled = !Boolean.parseBoolean(value);
                case "--kafka-max-request-bytes", "--kafka-max-response-bytes" ->
                        maxFrame = Math.max(maxFrame, integer(name, value, 1024, Integer.MAX_VALUE));
                case "--kafka-dial-timeout" -> dial = goDuration(name, value);
                case "--http-listen-address" -> common = common.withAdmin(new AdminConfig(hostPort(name, value, 0)));
                case "--kafka-client-id" -> { } // the gateway's own metadata client id is fixed; harmless to accept
                default -> throw new IllegalArgumentException(name + ": not a kafka-proxy server flag that brokerlink "
                        + "knows; mapped flags are --bootstrap-server-mapping, --dynamic-sequential-min-port, "
                        + "--dynamic-sequential-max-ports, --dynamic-advertised-listener, --default-listener-ip, "
                        + "--deterministic-listeners, --dynamic-listeners-disable, --kafka-max-request-bytes, "
                        + "--kafka-max-response-bytes, --kafka-dial-timeout, --http-listen-address, --kafka-client-id");
            }
        }
        if (mappings.isEmpty()) {
            throw new IllegalArgumentException("--bootstrap-server-mapping: none given; give at least one "
                    + "\"BROKER_HOST:PORT,LISTEN_HOST:PORT[,ADVERTISED_HOST:PORT]\"");
        }
        RewriteConfig.DynamicRange dynamic = null;
        if (dynamicEnabled && minPort != null) {
            int first = 0;
            for (RewriteConfig.BrokerMapping m : mappings) {
                Matcher label = BROKER_LABEL.matcher(m.advertised().host());
                if (label.find()) {
                    first = Math.max(first, Integer.parseInt(label.group(1)) + 1);
                }
            }
            dynamic = new RewriteConfig.DynamicRange(first, minPort, 0, maxPorts);
        }
        String fixedHost = dynamicAdvertised != null ? dynamicAdvertised : listenIp;
        List<HostPort> upstream = mappings.stream().map(RewriteConfig.BrokerMapping::upstream).toList();
        String host = listenIp;
        if (dial != null) {
            // kafka-proxy's dial timeout is the broker connect timeout of every client connection.
            ConnectionLimits l = common.limits();
            common = new CommonSettings(common.admin(), common.drainTimeout(), common.maxConnections(),
                    new ConnectionLimits(l.maxConnectionsPerSource(), l.idleTimeout(), dial, l.maxInFlightRequests()));
        }
        return new RewriteConfig(common, upstream, host, mappings, dynamic,
                new RewriteConfig.Advertised(null, fixedHost, Map.of()), null, dial, maxFrame, FetchEndpointsMode.SCAN);
    }

    private static RewriteConfig.BrokerMapping mapping(String value) {
        String[] parts = value.split(",");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("--bootstrap-server-mapping: \"" + value + "\" is not "
                    + "\"BROKER_HOST:PORT,LISTEN_HOST:PORT[,ADVERTISED_HOST:PORT]\"");
        }
        HostPort upstream = hostPort("--bootstrap-server-mapping", parts[0].trim(), 1);
        HostPort listen = hostPort("--bootstrap-server-mapping", parts[1].trim(), 1);
        HostPort advertised = parts.length == 3 ? hostPort("--bootstrap-server-mapping", parts[2].trim(), 1) : listen;
        return new RewriteConfig.BrokerMapping(null, upstream, listen, advertised);
    }

    private static String advertisedHost(String value) {
        if (value.contains(":")) {
            throw new IllegalArgumentException("--dynamic-advertised-listener: \"" + value + "\" has a port; give the "
                    + "host only (each broker's port is added), e.g. brokers.abc.us-west1.gcp.3199745.tidbcloud.com");
        }
        return value;
    }

    private static HostPort hostPort(String flag, String value, int minPort) {
        try {
            return HostPort.parse(value, minPort);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage());
        }
    }

    private static int integer(String flag, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException(flag + ": \"" + value + "\" is not a number from " + min + " to " + max);
    }

    /** Go durations as kafka-proxy writes them: 15s, 500ms, 1m. */
    private static Duration goDuration(String flag, String value) {
        Matcher m = Pattern.compile("^(\\d+)(ms|s|m|h)$").matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + ": \"" + value + "\" is not a duration like 15s, 500ms or 1m");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
