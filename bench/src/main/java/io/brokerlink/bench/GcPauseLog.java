package io.brokerlink.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Writes every garbage collection of this JVM (the harness's, which runs the three sandbox brokers) to a file as it
 * ends, one line each with its wall-clock start: a latency slice that stalled can then be lined up with the brokers'
 * collections (the probe logs each slice's window; the gateway JVMs log their own pauses with {@code -Xlog}).
 * The duration is the collector's own figure: a pause for {@code ZGC Minor Pauses} / {@code ZGC Major Pauses} (and
 * G1's young and mixed collections), the length of a concurrent cycle for {@code ZGC ... Cycles} (and
 * {@code G1 Concurrent GC}), which does not stop the brokers.
 */
final class GcPauseLog implements AutoCloseable {

    private final Path file;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::collected;
    private final long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();

    private GcPauseLog(Path file) {
        this.file = file;
    }

    static GcPauseLog start(Path file) throws IOException {
        Files.writeString(file, "# garbage collections of the harness JVM (the sandbox brokers): start (UTC), "
                + "collector, action, cause, duration\n", StandardCharsets.UTF_8);
        GcPauseLog log = new GcPauseLog(file);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(log.listener, null, null);
                log.emitters.add(emitter);
            }
        }
        return log;
    }

    Path file() {
        return file;
    }

    private void collected(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                (CompositeData) notification.getUserData());
        Instant start = Instant.ofEpochMilli(jvmStartMillis + info.getGcInfo().getStartTime());
        String line = String.format(Locale.ROOT, "%s gc=\"%s\" action=\"%s\" cause=\"%s\" duration-ms=%d%n", start,
                info.getGcName(), info.getGcAction(), info.getGcCause(), info.getGcInfo().getDuration());
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // not registered: nothing to remove
            }
        }
    }
}
