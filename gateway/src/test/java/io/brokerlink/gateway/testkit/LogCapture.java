package io.brokerlink.gateway.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log event of this JVM while open (BrokerLink's own loggers at DEBUG, so that even debug lines are checked),
 * rendered as the text an operator would see: message plus stack trace.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger root;
    private final Logger brokerlink;
    private final Level brokerlinkLevel;
    private final List<String> lines = new ArrayList<>();
    private final List<String> loggerPrefixes;
    private final Level minimum;
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            if (!loggerPrefixes.isEmpty() && loggerPrefixes.stream().noneMatch(event.getLoggerName()::startsWith)
                    || !event.getLevel().isGreaterOrEqual(minimum)) {
                return;
            }
            StringBuilder text = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " - "
                    + event.getFormattedMessage());
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                text.append('\n').append(ThrowableProxyUtil.asString(thrown));
            }
            synchronized (lines) {
                lines.add(text.toString());
            }
        }
    };

    public LogCapture() {
        this(List.of(), Level.ALL);
    }

    /**
     * Only the events of loggers whose names start with one of {@code loggerPrefixes}: a long run (a fuzz test) keeps
     * what it checks, not every broker line.
     */
    public static LogCapture of(String... loggerPrefixes) {
        return new LogCapture(List.of(loggerPrefixes), Level.ALL);
    }

    /**
     * WARN and ERROR lines of those loggers only (levels left as configured): what a long run checks, without keeping
     * a line per connection.
     */
    public static LogCapture warningsOf(String... loggerPrefixes) {
        return new LogCapture(List.of(loggerPrefixes), Level.WARN);
    }

    private LogCapture(List<String> loggerPrefixes, Level minimum) {
        this.loggerPrefixes = List.copyOf(loggerPrefixes);
        this.minimum = minimum;
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        brokerlink = context.getLogger("io.brokerlink");
        brokerlinkLevel = brokerlink.getLevel();
        if (!minimum.isGreaterOrEqual(Level.INFO)) {
            brokerlink.setLevel(Level.DEBUG); // so that even debug lines are checked
        }
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Forgets every line so far: a long run checks what it has, then frees it. */
    public void clear() {
        synchronized (lines) {
            lines.clear();
        }
    }

    /** How many lines so far: a mark for {@link #linesSince(int)}. */
    public int size() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /** Lines logged after {@code mark} (a value of {@link #size()}). */
    public List<String> linesSince(int mark) {
        synchronized (lines) {
            return List.copyOf(lines.subList(mark, lines.size()));
        }
    }

    /** Lines that contain {@code text}. */
    public List<String> linesContaining(String text) {
        return lines().stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        brokerlink.setLevel(brokerlinkLevel);
    }
}
