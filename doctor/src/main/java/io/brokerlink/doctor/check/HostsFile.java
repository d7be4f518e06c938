package io.brokerlink.doctor.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Makes kafka-clients (whose producer and consumer take no resolver) see the {@code --resolve} rules: the JDK resolves
 * through the file named by {@code jdk.net.hosts.file} when that property is set before its first lookup, and
 * re-reads the file when it changes. Doctor learns the advertised names from its own Metadata request, writes them
 * here, and only then starts the clients, so no client ever looks a name up before it is written.
 *
 * <p>When the property is already set (the {@code brokerlink} launcher, test JVMs) doctor writes into that file,
 * inside a block of its own, keeping every other line. Otherwise {@link #activate()} creates a private file and sets
 * the property; that works only while nothing has resolved a name yet, which {@link #publish} verifies.
 */
public final class HostsFile {

    public static final String PROPERTY = "jdk.net.hosts.file";
    private static final String BEGIN = "# brokerlink doctor: begin";
    private static final String END = "# brokerlink doctor: end";

    private final Path file;

    private HostsFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /** The file the JVM resolves through: the one already configured, or a new private one. */
    public static synchronized HostsFile activate() {
        // Rules change between checks in one JVM (the demo looks names up before and after they exist): no caching.
        // Only effective before the JVM's first lookup, like the property itself.
        Security.setProperty("networkaddress.cache.ttl", "0");
        Security.setProperty("networkaddress.cache.negative.ttl", "0");
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return new HostsFile(Path.of(configured));
        }
        try {
            Path f = Files.createTempFile("brokerlink-doctor-hosts-", ".txt");
            f.toFile().deleteOnExit();
            Files.writeString(f, "127.0.0.1 localhost\n::1 localhost\n");
            // Only effective before the JVM's first lookup; publish() checks that it took.
            System.setProperty(PROPERTY, f.toString());
            return new HostsFile(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a hosts file for --resolve: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces doctor's block with {@code names} and proves the JVM now resolves each one to its address.
     *
     * @throws IllegalStateException when the JVM does not resolve through this file (it resolved a name before
     *                               doctor could set {@link #PROPERTY}); start it with {@code -Djdk.net.hosts.file=FILE}
     */
    public synchronized void publish(Map<String, InetAddress> names) {
        try {
            List<String> kept = new ArrayList<>();
            if (Files.exists(file)) {
                boolean inBlock = false;
                for (String line : Files.readAllLines(file)) {
                    if (line.equals(BEGIN)) {
                        inBlock = true;
                    } else if (line.equals(END)) {
                        inBlock = false;
                    } else if (!inBlock) {
                        kept.add(line);
                    }
                }
            }
            if (kept.stream().noneMatch(l -> l.matches("\\s*127\\.0\\.0\\.1\\s+.*\\blocalhost\\b.*"))) {
                kept.add("127.0.0.1 localhost");
            }
            kept.add(BEGIN);
            names.forEach((name, address) -> kept.add(address.getHostAddress() + " " + name));
            kept.add(END);
            FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : FileTime.fromMillis(0);
            Files.write(file, kept);
            // The JDK notices a change by modification time: make sure it moves even within one clock tick.
            long now = Math.max(System.currentTimeMillis(), before.toMillis() + 1000);
            Files.setLastModifiedTime(file, FileTime.fromMillis(now));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the hosts file " + file + ": " + e.getMessage(), e);
        }
        for (Map.Entry<String, InetAddress> e : names.entrySet()) {
            InetAddress[] seen;
            try {
                seen = InetAddress.getAllByName(e.getKey());
            } catch (UnknownHostException x) {
                seen = new InetAddress[0];
            }
            boolean ok = Arrays.stream(seen).anyMatch(a -> Arrays.equals(a.getAddress(), e.getValue().getAddress()));
            if (!ok) {
                throw new IllegalStateException("--resolve: this JVM resolves " + e.getKey() + " to "
                        + Arrays.toString(seen) + ", not " + e.getValue().getHostAddress() + " (it does not read "
                        + file + "); start it with -D" + PROPERTY + "=FILE, as the brokerlink launcher does");
            }
        }
    }
}
