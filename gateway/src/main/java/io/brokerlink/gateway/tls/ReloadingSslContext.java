package io.brokerlink.gateway.tls;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link SslContext} that follows its files: every {@code reloadCheck} the files' modification time, size and
 * identity (inode) are compared with the last ones seen; a change is acted on once the files have stayed the same for
 * one more check, so a certificate and its key copied one after the other are read as a pair. New connections then get
 * the new context; open ones keep the engine they started with. A replacement that cannot be used is logged as one
 * WARN naming the file and the old context stays.
 *
 * <p>Polling rather than a {@code WatchService}: the watch service watches directories and reports names, so it misses
 * the usual ways certificates are replaced in production (Kubernetes swaps a {@code ..data} symlink; cert-manager
 * and NFS mounts may deliver no event at all), while reading the attributes of two or three files every few seconds
 * costs nothing and follows symlinks to what is actually served.
 */
public final class ReloadingSslContext implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingSslContext.class);

    private final String section;
    private final Supplier<TlsContexts.Built> build;
    private final List<Path> files;
    private final List<Consumer<TlsContexts.Built>> reloadListeners = new CopyOnWriteArrayList<>();
    private volatile TlsContexts.Built current;
    private Map<Path, Object> seen;
    private Map<Path, Object> pending;
    private ScheduledFuture<?> task;

    private ReloadingSslContext(String section, Supplier<TlsContexts.Built> build, List<Path> files) {
        this.section = section;
        this.build = build;
        this.files = List.copyOf(files);
        this.seen = stamps();
        this.current = build.get();
    }

    /** The listener side of {@code tls}, built now (a {@link TlsMaterialException} when the files cannot be used). */
    public static ReloadingSslContext server(String section, ListenerTls tls) {
        return new ReloadingSslContext(section, () -> TlsContexts.server(tls), tls.files());
    }

    /** The broker side of {@code tls}, built now. */
    public static ReloadingSslContext client(String section, UpstreamTls tls) {
        return new ReloadingSslContext(section, () -> TlsContexts.client(tls), tls.files());
    }

    /** The context for a new connection. */
    public SslContext context() {
        return current.context();
    }

    /** What is served now (subject, serial, expiry, trust), for log lines. */
    public String summary() {
        return current.summary();
    }

    /** Called (on the checking thread) after each successful reload, e.g. to rebuild a client that copied the files. */
    public void onReload(Consumer<TlsContexts.Built> listener) {
        reloadListeners.add(listener);
    }

    /** Starts checking the files every {@code every} on {@code scheduler}. */
    public synchronized void watch(ScheduledExecutorService scheduler, Duration every) {
        if (task == null && !files.isEmpty()) {
            long ms = every.toMillis();
            task = scheduler.scheduleWithFixedDelay(this::checkQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** One check: compares the files with the last ones seen and reloads once a change has settled. */
    public synchronized void check() {
        Map<Path, Object> now = stamps();
        if (now.equals(seen)) {
            pending = null;
            return;
        }
        if (!now.equals(pending)) {
            pending = now; // changed since the last check: wait until the files stay the same for one period
            return;
        }
        pending = null;
        seen = now;
        TlsContexts.Built next;
        try {
            next = build.get();
        } catch (TlsMaterialException e) {
            LOG.warn("{}: cannot reload: {}.{}: {}; still serving the old {}", section, section, e.field(),
                    e.getMessage(), current.summary());
            return;
        }
        current = next;
        LOG.info("{}: reloaded from {}: {}; new connections use it, open ones keep theirs", section, files,
                next.summary());
        for (Consumer<TlsContexts.Built> l : reloadListeners) {
            l.accept(next);
        }
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("{}: checking {} for changes failed: {}", section, files, e.toString());
        }
    }

    private Map<Path, Object> stamps() {
        Map<Path, Object> out = new LinkedHashMap<>();
        for (Path f : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                out.put(f, List.of(a.lastModifiedTime(), a.size(), Objects.toString(a.fileKey())));
            } catch (IOException e) {
                out.put(f, "missing");
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }
}
