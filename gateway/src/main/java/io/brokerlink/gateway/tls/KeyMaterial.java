package io.brokerlink.gateway.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Where a certificate and its private key come from: PEM files or a keystore. Loaded afresh by every {@link #load()},
 * so a reload sees the files as they are now.
 */
public sealed interface KeyMaterial permits KeyMaterial.Pem, KeyMaterial.KeyStoreFile {

    /** The files to watch for changes. */
    List<Path> files();

    /** The key and chain; {@link TlsMaterialException} naming the key and the file when they cannot be used. */
    CertifiedKey load();

    /**
     * PEM files: {@code cert} is the chain (leaf first), {@code key} a PKCS#8 key, encrypted when a password is given.
     *
     * @param keyPassword null for an unencrypted key
     */
    record Pem(Path certificateChain, Path privateKey, Secret keyPassword) implements KeyMaterial {
        public Pem {
            Objects.requireNonNull(certificateChain, "cert");
            Objects.requireNonNull(privateKey, "key");
        }

        @Override
        public List<Path> files() {
            return List.of(certificateChain, privateKey);
        }

        @Override
        public CertifiedKey load() {
            List<X509Certificate> chain = PemFiles.certificates(certificateChain, "cert");
            PrivateKey key = PemFiles.privateKey(privateKey, keyPassword, "key", "key-password");
            try {
                return new CertifiedKey(key, chain);
            } catch (IllegalArgumentException e) {
                throw new TlsMaterialException("key", privateKey + ": " + e.getMessage() + " in " + certificateChain);
            }
        }
    }

    /**
     * A PKCS12 or JKS keystore holding one private key entry.
     *
     * @param keyPassword the entry's password; null when it is the store's
     */
    record KeyStoreFile(Path keystore, StoreType type, Secret password, Secret keyPassword) implements KeyMaterial {
        public KeyStoreFile {
            Objects.requireNonNull(keystore, "keystore");
            Objects.requireNonNull(type, "keystore-type");
            Objects.requireNonNull(password, "keystore-password");
        }

        @Override
        public List<Path> files() {
            return List.of(keystore);
        }

        @Override
        public CertifiedKey load() {
            KeyStore store = KeyStores.open(keystore, type, password, "keystore", "keystore-password");
            try {
                List<String> keyAliases = new ArrayList<>();
                for (String alias : Collections.list(store.aliases())) {
                    if (store.isKeyEntry(alias)) {
                        keyAliases.add(alias);
                    }
                }
                if (keyAliases.size() != 1) {
                    throw new TlsMaterialException("keystore", keystore + ": holds " + keyAliases.size()
                            + " private key entries " + keyAliases + "; the gateway serves exactly one: keep one entry");
                }
                String alias = keyAliases.get(0);
                Secret entryPassword = keyPassword != null ? keyPassword : password;
                Key key;
                try {
                    key = store.getKey(alias, entryPassword.chars());
                } catch (UnrecoverableKeyException e) {
                    throw new TlsMaterialException(keyPassword != null ? "key-password" : "keystore-password",
                            "does not open the key entry \"" + alias + "\" of " + keystore + " (wrong password, from "
                                    + entryPassword.source() + ")");
                }
                if (!(key instanceof PrivateKey privateKey)) {
                    throw new TlsMaterialException("keystore", keystore + ": entry \"" + alias + "\" is not a private key");
                }
                Certificate[] chain = store.getCertificateChain(alias);
                if (chain == null || chain.length == 0) {
                    throw new TlsMaterialException("keystore", keystore + ": entry \"" + alias
                            + "\" has no certificate chain");
                }
                List<X509Certificate> certs = new ArrayList<>();
                for (Certificate c : chain) {
                    certs.add((X509Certificate) c);
                }
                try {
                    return new CertifiedKey(privateKey, certs);
                } catch (IllegalArgumentException e) {
                    throw new TlsMaterialException("keystore", keystore + ": entry \"" + alias + "\": " + e.getMessage());
                }
            } catch (GeneralSecurityException e) {
                throw new TlsMaterialException("keystore", keystore + ": cannot read its entries (" + e.getMessage() + ")");
            }
        }
    }
}
