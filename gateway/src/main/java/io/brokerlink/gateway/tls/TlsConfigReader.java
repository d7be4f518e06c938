package io.brokerlink.gateway.tls;

import io.brokerlink.gateway.config.ConfigException;
import io.brokerlink.gateway.config.ConfigList;
import io.brokerlink.gateway.config.ConfigMap;
import io.brokerlink.gateway.config.ConfigNode;
import io.brokerlink.gateway.config.ConfigScalar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code listener-tls} and {@code upstream-tls} maps strictly (unknown keys, wrong types, both or neither of PEM
 * and keystore are errors), then loads the material once so that a missing file, a wrong password or a key that does
 * not match its certificate fails at start-up with the file, line and key at fault:
 * {@code gateway.yaml:12:18 listener-tls.keystore-password: does not open gw.p12 (wrong password, from env:KS_PW)}.
 */
public final class TlsConfigReader {

    private static final String KEY_KEYS = "cert + key (PEM files) or keystore (PKCS12/JKS)";

    private TlsConfigReader() {
    }

    /**
     * Keys: {@code cert}, {@code key}, {@code key-password} | {@code keystore}, {@code keystore-type},
     * {@code keystore-password}, {@code key-password}; {@code client-auth}; {@code client-ca} | {@code truststore},
     * {@code truststore-type}, {@code truststore-password}; {@code protocols}; {@code ciphers}; {@code reload-check-ms}.
     */
    public static ListenerTls listener(ConfigMap m) {
        KeyMaterial key = keyMaterial(m).orElseThrow(() -> m.error("neither cert + key nor keystore is set; give "
                + KEY_KEYS));
        ClientAuth clientAuth = m.optionalString("client-auth").map(s -> {
            try {
                return ClientAuth.parse(s);
            } catch (IllegalArgumentException e) {
                throw m.required("client-auth").error(e.getMessage());
            }
        }).orElse(ClientAuth.NONE);
        TrustMaterial trust = trustMaterial(m, "client-ca").orElse(null);
        List<String> protocols = strings(m, "protocols");
        List<String> ciphers = strings(m, "ciphers");
        Duration reload = reloadCheck(m);
        m.rejectUnknownKeys();
        ListenerTls tls = construct(m, "client-ca", () -> new ListenerTls(key, clientAuth, trust, protocols, ciphers,
                reload));
        construct(m, "client-ca", () -> TlsContexts.server(tls));
        return tls;
    }

    /**
     * Keys: {@code ca} | {@code truststore}, {@code truststore-type}, {@code truststore-password} (neither: the system
     * CAs); {@code hostname-verification} (default true); the client certificate as {@code cert}, {@code key},
     * {@code key-password} | {@code keystore}, {@code keystore-type}, {@code keystore-password}; {@code protocols};
     * {@code reload-check-ms}.
     */
    public static UpstreamTls upstream(ConfigMap m) {
        TrustMaterial trust = trustMaterial(m, "ca").orElse(null);
        boolean verify = bool(m, "hostname-verification", true);
        KeyMaterial key = keyMaterial(m).orElse(null);
        List<String> protocols = strings(m, "protocols");
        Duration reload = reloadCheck(m);
        m.rejectUnknownKeys();
        UpstreamTls tls = construct(m, "ca", () -> new UpstreamTls(trust, verify, key, protocols, reload));
        construct(m, "ca", () -> TlsContexts.client(tls));
        return tls;
    }

    private static Optional<KeyMaterial> keyMaterial(ConfigMap m) {
        Optional<ConfigNode> cert = m.optional("cert");
        Optional<ConfigNode> key = m.optional("key");
        Optional<ConfigNode> keystore = m.optional("keystore");
        Optional<Secret> keyPassword = m.optionalString("key-password").map(s -> secret(m, "key-password", s));
        if ((cert.isPresent() || key.isPresent()) && keystore.isPresent()) {
            throw m.error((cert.isPresent() ? "cert" : "key") + " and keystore are both set; give either " + KEY_KEYS);
        }
        if (keystore.isPresent()) {
            Path file = path(m, "keystore");
            StoreType type = storeType(m, "keystore-type", file);
            Secret password = secret(m, "keystore-password", m.string("keystore-password"));
            return Optional.of(new KeyMaterial.KeyStoreFile(file, type, password, keyPassword.orElse(null)));
        }
        if (cert.isPresent() != key.isPresent()) {
            String missing = cert.isPresent() ? "key" : "cert";
            throw m.error(missing + ": missing; " + (cert.isPresent() ? "cert needs its private key (PKCS#8 PEM) in key"
                    : "key needs its certificate chain (PEM) in cert"));
        }
        orphans(m, "keystore", "keystore-type", "keystore-password");
        if (cert.isEmpty()) {
            if (keyPassword.isPresent()) {
                throw m.required("key-password").error("is set but there is no key; give " + KEY_KEYS);
            }
            return Optional.empty();
        }
        return Optional.of(new KeyMaterial.Pem(path(m, "cert"), path(m, "key"), keyPassword.orElse(null)));
    }

    private static Optional<TrustMaterial> trustMaterial(ConfigMap m, String pemKey) {
        Optional<ConfigNode> pem = m.optional(pemKey);
        Optional<ConfigNode> store = m.optional("truststore");
        if (pem.isPresent() && store.isPresent()) {
            throw m.error(pemKey + " and truststore are both set; give one of them");
        }
        if (store.isPresent()) {
            Path file = path(m, "truststore");
            StoreType type = storeType(m, "truststore-type", file);
            Secret password = m.optionalString("truststore-password").map(s -> secret(m, "truststore-password", s))
                    .orElse(null);
            return Optional.of(new TrustMaterial.TrustStoreFile(file, type, password));
        }
        orphans(m, "truststore", "truststore-type", "truststore-password");
        return pem.isPresent() ? Optional.of(new TrustMaterial.PemBundle(path(m, pemKey))) : Optional.empty();
    }

    /** Settings of a store that is not configured are mistakes, not noise to ignore. */
    private static void orphans(ConfigMap m, String store, String... keys) {
        for (String key : keys) {
            if (m.optional(key).isPresent()) {
                throw m.required(key).error("is set but " + store + " is not; give " + store + " too, or remove " + key);
            }
        }
    }

    private static Path path(ConfigMap m, String key) {
        String text = m.string(key);
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw m.required(key).error("\"" + text + "\" is not a file path (" + e.getReason() + ")");
        }
    }

    private static StoreType storeType(ConfigMap m, String key, Path file) {
        Optional<String> given = m.optionalString(key);
        if (given.isPresent()) {
            try {
                return StoreType.parse(given.get());
            } catch (IllegalArgumentException e) {
                throw m.required(key).error(e.getMessage());
            }
        }
        return StoreType.fromFileName(file).orElseThrow(() -> m.error(key + ": missing; the type cannot be told from "
                + "the name " + file.getFileName() + " (.p12/.pfx PKCS12, .jks JKS): give PKCS12 or JKS"));
    }

    private static Secret secret(ConfigMap m, String key, String spec) {
        try {
            return Secret.parse(spec);
        } catch (IllegalArgumentException e) {
            throw m.required(key).error(e.getMessage());
        }
    }

    private static List<String> strings(ConfigMap m, String key) {
        if (m.optional(key).isEmpty()) {
            return List.of();
        }
        ConfigList list = m.list(key);
        List<String> out = new ArrayList<>();
        for (ConfigNode item : list.items()) {
            if (!(item instanceof ConfigScalar s) || s.type() != ConfigScalar.Type.STRING || s.text().isBlank()) {
                throw item.error("is " + item.kind() + "; expected a name such as TLSv1.3 or TLS_AES_128_GCM_SHA256");
            }
            out.add(s.text());
        }
        if (out.isEmpty()) {
            throw list.error("is empty; leave " + key + " out for the defaults");
        }
        return out;
    }

    private static boolean bool(ConfigMap m, String key, boolean dflt) {
        Optional<ConfigNode> node = m.optional(key);
        if (node.isEmpty()) {
            return dflt;
        }
        if (node.get() instanceof ConfigScalar s && s.type() == ConfigScalar.Type.BOOLEAN) {
            return Boolean.parseBoolean(s.text());
        }
        throw node.get().error("is " + node.get().kind() + "; expected true or false");
    }

    private static Duration reloadCheck(ConfigMap m) {
        return Duration.ofMillis(m.integer("reload-check-ms", (int) ListenerTls.DEFAULT_RELOAD_CHECK.toMillis(), 100,
                86_400_000, "is not a check period (100-86400000 ms)"));
    }

    /** Runs {@code step}, turning a {@link TlsMaterialException} into an error at the line of the key it names. */
    private static <T> T construct(ConfigMap m, String pemTrustKey, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (TlsMaterialException e) {
            String field = e.field().equals("ca") ? pemTrustKey : e.field();
            String base = field.contains("[") ? field.substring(0, field.indexOf('[')) : field;
            Optional<ConfigNode> node = m.optional(base);
            if (node.isPresent() && field.contains("[") && node.get() instanceof ConfigList list) {
                int index = Integer.parseInt(field.substring(field.indexOf('[') + 1, field.indexOf(']')));
                throw list.items().get(index).error(e.getMessage());
            }
            if (node.isPresent()) {
                throw node.get().error(e.getMessage());
            }
            throw new ConfigException(m.location() + " " + m.pathOf(field) + ": " + e.getMessage());
        }
    }
}
