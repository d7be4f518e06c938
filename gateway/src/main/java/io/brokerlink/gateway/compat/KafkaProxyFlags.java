package io.brokerlink.gateway.compat;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.config.AdminConfig;
import io.brokerlink.gateway.config.CommonSettings;
import io.brokerlink.gateway.limits.ConnectionLimits;
import io.brokerlink.gateway.rewrite.FetchEndpointsMode;
import io.brokerlink.gateway.rewrite.MetadataClient;
import io.brokerlink.gateway.rewrite.RewriteConfig;
import io.brokerlink.gateway.tls.ClientAuth;
import io.brokerlink.gateway.tls.KeyMaterial;
import io.brokerlink.gateway.tls.ListenerTls;
import io.brokerlink.gateway.tls.Secret;
import io.brokerlink.gateway.tls.TlsContexts;
import io.brokerlink.gateway.tls.TlsMaterialException;
import io.brokerlink.gateway.tls.TrustMaterial;
import io.brokerlink.gateway.tls.UpstreamTls;
import java.nio.file.Path;
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
 *
 * <p>TLS: {@code --proxy-listener-tls-enable} with its cert, key, key password, CA (client certificates required)
 * and cipher flags becomes {@code listener-tls}; {@code --tls-enable} with its CA, client certificate and
 * {@code --tls-insecure-skip-verify} (host names only, see {@link #parse}) becomes {@code upstream-tls}. The files are
 * read once here, so a wrong path or password is an error naming the flag.
 */
public final class KafkaProxyFlags {

    private static final Pattern BROKER_LABEL = Pattern.compile("^b(\\d+)\\.", Pattern.CASE_INSENSITIVE);

    /** Flags refused, by prefix, with the reason. */
    private static final Map<String, String> REFUSED = new LinkedHashMap<>();

    static {
        String sasl = "the gateway does not authenticate on the client's behalf; SASL exchanges of the clients "
                + "themselves pass through unchanged";
        String buffers = "BrokerLink sizes its own buffers and keep-alives (pooled buffers with back-pressure)";
        REFUSED.put("--proxy-listener-curve-preferences", "the JVM chooses key-exchange groups; set them for the "
                + "whole JVM with -Djdk.tls.namedGroups=x25519,secp256r1");
        REFUSED.put("--proxy-listener-tls-client-cert-validate-subject", "client certificate subjects are not checked "
                + "against a pattern; issue client certificates only to allowed clients from the CA in "
                + "--proxy-listener-ca-chain-cert-file");
        REFUSED.put("--proxy-listener-tls-required-client-subject-", "client certificate subjects are not checked "
                + "against a pattern; issue client certificates only to allowed clients from the CA in "
                + "--proxy-listener-ca-chain-cert-file");
        REFUSED.put("--tls-same-client-cert-enable", "the gateway does not compare its clients' certificates with its "
                + "own broker certificate");
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

    /** The TLS flags this parser maps (the others of kafka-proxy are refused above, with the reason). */
    private static final List<String> TLS_FLAGS = List.of("--proxy-listener-tls-enable", "--proxy-listener-cert-file",
            "--proxy-listener-key-file", "--proxy-listener-key-password", "--proxy-listener-ca-chain-cert-file",
            "--proxy-listener-cipher-suites", "--tls-enable", "--tls-ca-chain-cert-file", "--tls-client-cert-file",
            "--tls-client-key-file", "--tls-client-key-password", "--tls-insecure-skip-verify");

    private static final List<String> TLS13_CIPHERS = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    /** kafka-proxy's cipher-suite names (its supportedCiphersMap) and the JDK's names for the same suites. */
    private static final Map<String, String> KAFKA_PROXY_CIPHERS = Map.ofEntries(
            Map.entry("ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry("ECDHE-ECDSA-WITH-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("ECDHE-RSA-WITH-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("ECDHE-RSA-AES256-CBC-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
            Map.entry("ECDHE-RSA-AES128-CBC-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
            Map.entry("ECDHE-ECDSA-AES256-CBC-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
            Map.entry("ECDHE-ECDSA-AES128-CBC-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
            Map.entry("RSA-AES256-CBC-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"),
            Map.entry("RSA-AES128-CBC-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"),
            Map.entry("ECDHE-RSA-3DES-EDE-CBC-SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
            Map.entry("RSA-3DES-EDE-CBC-SHA", "SSL_RSA_WITH_3DES_EDE_CBC_SHA"));

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
        Map<String, String> tls = new LinkedHashMap<>();
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
                case "--deterministic-listeners", "--dynamic-listeners-disable", "--proxy-listener-tls-enable",
                        "--tls-enable", "--tls-insecure-skip-verify" -> true;
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
                case "--proxy-listener-tls-enable", "--tls-enable", "--tls-insecure-skip-verify" ->
                        tls.put(name, Boolean.toString(bool(name, value)));
                case "--proxy-listener-cert-file", "--proxy-listener-key-file", "--proxy-listener-key-password",
                        "--proxy-listener-ca-chain-cert-file", "--tls-ca-chain-cert-file", "--tls-client-cert-file",
                        "--tls-client-key-file", "--tls-client-key-password" -> tls.put(name, value);
                case "--proxy-listener-cipher-suites" -> tls.merge(name, value, (a, b) -> a + "," + b);
                default -> throw new IllegalArgumentException(name + ": not a kafka-proxy server flag that brokerlink "
                        + "knows; mapped flags are --bootstrap-server-mapping, --dynamic-sequential-min-port, "
                        + "--dynamic-sequential-max-ports, --dynamic-advertised-listener, --default-listener-ip, "
                        + "--deterministic-listeners, --dynamic-listeners-disable, --kafka-max-request-bytes, "
                        + "--kafka-max-response-bytes, --kafka-dial-timeout, --http-listen-address, --kafka-client-id, "
                        + String.join(", ", TLS_FLAGS));
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
                new RewriteConfig.Advertised(null, fixedHost, Map.of()), null, dial, maxFrame, FetchEndpointsMode.DEFAULT,
                MetadataClient.NONE,
                listenerTls(tls), upstreamTls(tls));
    }

    /**
     * {@code --proxy-listener-*}: TLS toward clients. {@code --proxy-listener-ca-chain-cert-file} makes client
     * certificates required (kafka-proxy's RequireAndVerifyClientCert). kafka-proxy's cipher names (OpenSSL style,
     * e.g. ECDHE-RSA-AES128-GCM-SHA256) become IANA names, and the TLS 1.3 suites stay on: Go does not let them be
     * configured, so a kafka-proxy listener always offers them.
     */
    private static ListenerTls listenerTls(Map<String, String> flags) {
        boolean enabled = Boolean.parseBoolean(flags.getOrDefault("--proxy-listener-tls-enable", "false"));
        List<String> given = flags.keySet().stream().filter(f -> f.startsWith("--proxy-listener-")
                && !f.equals("--proxy-listener-tls-enable")).toList();
        if (!enabled) {
            if (!given.isEmpty()) {
                throw new IllegalArgumentException(given.get(0) + ": given without --proxy-listener-tls-enable, so "
                        + "kafka-proxy would ignore it; add --proxy-listener-tls-enable or remove it");
            }
            return null;
        }
        String cert = flags.get("--proxy-listener-cert-file");
        String key = flags.get("--proxy-listener-key-file");
        if (cert == null || key == null) {
            throw new IllegalArgumentException((cert == null ? "--proxy-listener-cert-file" : "--proxy-listener-key-file")
                    + ": missing; --proxy-listener-tls-enable needs --proxy-listener-cert-file and "
                    + "--proxy-listener-key-file (PEM)");
        }
        String password = flags.get("--proxy-listener-key-password");
        String ca = flags.get("--proxy-listener-ca-chain-cert-file");
        List<String> ciphers = ciphers(flags.get("--proxy-listener-cipher-suites"));
        Map<String, String> fieldToFlag = Map.of("cert", "--proxy-listener-cert-file", "key", "--proxy-listener-key-file",
                "key-password", "--proxy-listener-key-password", "client-ca", "--proxy-listener-ca-chain-cert-file",
                "ca", "--proxy-listener-ca-chain-cert-file", "ciphers", "--proxy-listener-cipher-suites");
        return loaded(fieldToFlag, () -> {
            ListenerTls t = new ListenerTls(new KeyMaterial.Pem(Path.of(cert), Path.of(key),
                    password == null || password.isEmpty() ? null : Secret.literal(password)),
                    ca == null ? ClientAuth.NONE : ClientAuth.REQUIRED,
                    ca == null ? null : new TrustMaterial.PemBundle(Path.of(ca)), null, ciphers, null);
            TlsContexts.server(t);
            return t;
        });
    }

    /**
     * {@code --tls-*}: TLS toward brokers. Without {@code --tls-ca-chain-cert-file} the system CAs are trusted, as in
     * kafka-proxy. {@code --tls-insecure-skip-verify} turns host-name verification off but, unlike kafka-proxy, still
     * checks that a trusted CA signed the broker's certificate: accepting any certificate would let anyone on the path
     * read the traffic. A self-signed broker needs its certificate (or CA) in {@code --tls-ca-chain-cert-file}. The
     * gateway logs a WARN at start while host-name verification is off.
     */
    private static UpstreamTls upstreamTls(Map<String, String> flags) {
        boolean enabled = Boolean.parseBoolean(flags.getOrDefault("--tls-enable", "false"));
        List<String> given = flags.keySet().stream().filter(f -> f.startsWith("--tls-") && !f.equals("--tls-enable"))
                .toList();
        if (!enabled) {
            if (!given.isEmpty()) {
                throw new IllegalArgumentException(given.get(0) + ": given without --tls-enable, so kafka-proxy would "
                        + "ignore it; add --tls-enable or remove it");
            }
            return null;
        }
        String ca = flags.get("--tls-ca-chain-cert-file");
        String cert = flags.get("--tls-client-cert-file");
        String key = flags.get("--tls-client-key-file");
        String password = flags.get("--tls-client-key-password");
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException((cert == null ? "--tls-client-cert-file" : "--tls-client-key-file")
                    + ": missing; a client certificate needs both --tls-client-cert-file and --tls-client-key-file");
        }
        boolean verify = !Boolean.parseBoolean(flags.getOrDefault("--tls-insecure-skip-verify", "false"));
        Map<String, String> fieldToFlag = Map.of("ca", "--tls-ca-chain-cert-file", "cert", "--tls-client-cert-file",
                "key", "--tls-client-key-file", "key-password", "--tls-client-key-password");
        return loaded(fieldToFlag, () -> {
            UpstreamTls t = new UpstreamTls(ca == null ? null : new TrustMaterial.PemBundle(Path.of(ca)), verify,
                    cert == null ? null : new KeyMaterial.Pem(Path.of(cert), Path.of(key),
                            password == null || password.isEmpty() ? null : Secret.literal(password)), null, null);
            TlsContexts.client(t);
            return t;
        });
    }

    /** Builds and loads once, so a missing file or wrong password is an error naming the flag, as for YAML keys. */
    private static <T> T loaded(Map<String, String> fieldToFlag, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (TlsMaterialException e) {
            String field = e.field().contains("[") ? e.field().substring(0, e.field().indexOf('[')) : e.field();
            throw new IllegalArgumentException(fieldToFlag.getOrDefault(field, field) + ": " + e.getMessage());
        }
    }

    /** kafka-proxy's names (OpenSSL style) to IANA names; IANA names pass as they are; TLS 1.3 suites added. */
    private static List<String> ciphers(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        List<String> out = new ArrayList<>(TLS13_CIPHERS);
        for (String c : value.split(",")) {
            String name = c.trim();
            if (!name.isEmpty()) {
                out.add(KAFKA_PROXY_CIPHERS.getOrDefault(name, name));
            }
        }
        return out;
    }

    private static boolean bool(String flag, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "t" -> true;
            case "false", "0", "f" -> false;
            default -> throw new IllegalArgumentException(flag + ": \"" + value + "\" is not true or false");
        };
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
