package io.brokerlink.gateway.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.TrustManagerFactory;

/** Which certificate authorities a TLS peer's certificate must chain to. */
public sealed interface TrustMaterial permits TrustMaterial.PemBundle, TrustMaterial.TrustStoreFile,
        TrustMaterial.SystemCas {

    /** The files to watch for changes (none for the system CAs). */
    List<Path> files();

    /** A trust manager factory over the material as it is on disk now. */
    TrustManagerFactory load();

    /** One line for the log: where the trust comes from. */
    String describe();

    /** CA certificates in one PEM file ({@code ca:} / {@code client-ca:}). */
    record PemBundle(Path file) implements TrustMaterial {
        public PemBundle {
            Objects.requireNonNull(file, "ca");
        }

        @Override
        public List<Path> files() {
            return List.of(file);
        }

        @Override
        public TrustManagerFactory load() {
            List<X509Certificate> cas = PemFiles.certificates(file, "ca");
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    store.setCertificateEntry("ca-" + i, cas.get(i));
                }
                return factory(store);
            } catch (java.io.IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot build an in-memory trust store", e);
            }
        }

        @Override
        public String describe() {
            return "CA bundle " + file;
        }
    }

    /** A PKCS12 or JKS trust store ({@code truststore:}); {@code password} may be null (JKS reads without one). */
    record TrustStoreFile(Path file, StoreType type, Secret password) implements TrustMaterial {
        public TrustStoreFile {
            Objects.requireNonNull(file, "truststore");
            Objects.requireNonNull(type, "truststore-type");
        }

        @Override
        public List<Path> files() {
            return List.of(file);
        }

        @Override
        public TrustManagerFactory load() {
            KeyStore store = KeyStores.open(file, type, password, "truststore", "truststore-password");
            try {
                if (Collections.list(store.aliases()).stream().noneMatch(a -> {
                    try {
                        return store.isCertificateEntry(a);
                    } catch (java.security.KeyStoreException e) {
                        return false;
                    }
                })) {
                    throw new TlsMaterialException("truststore", file + ": holds no trusted certificate entry");
                }
                return factory(store);
            } catch (GeneralSecurityException e) {
                throw new TlsMaterialException("truststore", file + ": cannot be used as a trust store (" + e.getMessage()
                        + ")");
            }
        }

        @Override
        public String describe() {
            return type + " trust store " + file;
        }
    }

    /** The JVM's default CAs ({@code cacerts}), for brokers with publicly issued certificates. */
    record SystemCas() implements TrustMaterial {
        @Override
        public List<Path> files() {
            return List.of();
        }

        @Override
        public TrustManagerFactory load() {
            try {
                return factory(null);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JVM's default trust store cannot be read", e);
            }
        }

        @Override
        public String describe() {
            return "the system CAs";
        }
    }

    private static TrustManagerFactory factory(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf;
    }
}
