package io.brokerlink.gateway.portmap;

import io.brokerlink.gateway.netty.Transport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to every upstream address once per interval; a connect that does not complete within the timeout is a
 * failure. The connection is closed as soon as it is established (a TCP check, like a cloud load balancer's).
 */
final class HealthChecker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private final List<BrokerHealth> targets;
    private final HealthCheckConfig config;
    private final EventLoop loop;
    private final Transport transport;
    private ScheduledFuture<?> schedule;

    HealthChecker(Collection<BrokerHealth> targets, HealthCheckConfig config, EventLoop loop, Transport transport,
                  MeterRegistry registry) {
        this.targets = List.copyOf(targets);
        this.config = config;
        this.loop = loop;
        this.transport = transport;
        for (BrokerHealth health : this.targets) {
            Gauge.builder("brokerlink.gateway.upstream.healthy", health,
                            h -> h.state() == BrokerHealth.State.HEALTHY ? 1 : h.state() == BrokerHealth.State.UNHEALTHY ? 0 : -1)
                    .description("1 healthy, 0 unhealthy, -1 not yet checked")
                    .tag("upstream", health.target().toString()).register(registry);
        }
    }

    void start() {
        schedule = loop.scheduleAtFixedRate(this::checkAll, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean allKnown() {
        return targets.stream().allMatch(t -> t.state() != BrokerHealth.State.UNKNOWN);
    }

    private void checkAll() {
        for (BrokerHealth target : targets) {
            check(target);
        }
    }

    private void check(BrokerHealth target) {
        ChannelFuture connect = new Bootstrap().group(loop).channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.timeout().toMillis())
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(target.target().unresolved());
        connect.addListener((ChannelFuture f) -> {
            BrokerHealth.State changed;
            if (f.isSuccess()) {
                f.channel().close();
                changed = target.recordSuccess();
            } else {
                changed = target.recordFailure(String.valueOf(f.cause().getMessage()));
            }
            if (changed == BrokerHealth.State.UNHEALTHY) {
                LOG.warn("upstream {} is unhealthy: {}", target.target(), target.lastFailure());
            } else if (changed != null) {
                LOG.info("upstream {} is {}", target.target(), changed.name().toLowerCase(java.util.Locale.ROOT));
            }
        });
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.cancel(false);
        }
    }
}
