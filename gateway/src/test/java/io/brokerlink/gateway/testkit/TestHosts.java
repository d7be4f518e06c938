package io.brokerlink.gateway.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The test JVM's hosts file (HELPERS.md point 5): advertised names resolve to the gateway or forwarder. */
public final class TestHosts {

    private static final Map<String, String> ENTRIES = new TreeMap<>();

    private TestHosts() {
    }

    public static synchronized void map(String address, String... names) {
        for (String n : names) {
            ENTRIES.put(n, address);
        }
        StringBuilder sb = new StringBuilder("127.0.0.1 localhost\n");
        ENTRIES.forEach((name, addr) -> sb.append(addr).append(' ').append(name).append('\n'));
        String file = System.getProperty("brokerlink.test.hosts.file");
        if (file == null) {
            throw new IllegalStateException("brokerlink.test.hosts.file is not set: run through Maven (surefire.argLine)");
        }
        try {
            Path p = Path.of(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
