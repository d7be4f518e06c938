package io.brokerlink.gateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;

/** Opening PKCS12/JKS files with errors that say which of file, type or password is wrong. */
final class KeyStores {

    private KeyStores() {
    }

    static KeyStore open(Path file, StoreType type, Secret password, String field, String passwordField) {
        KeyStore store;
        try {
            store = KeyStore.getInstance(type.name());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no " + type + " keystore support", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password == null ? null : password.chars());
            return store;
        } catch (NoSuchFileException e) {
            throw new TlsMaterialException(field, file + ": no such file" + (file.isAbsolute() ? ""
                    : " (relative paths start at the working directory " + Path.of("").toAbsolutePath() + ")"));
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new TlsMaterialException(passwordField, "does not open " + file + " (wrong password, from "
                        + (password == null ? "no password" : password.source()) + ")");
            }
            throw new TlsMaterialException(field, file + ": is not a readable " + type + " keystore ("
                    + e.getMessage() + "); check " + field + "-type");
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException(field, file + ": cannot be read as " + type + " (" + e.getMessage() + ")");
        }
    }
}
