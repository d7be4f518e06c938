package io.brokerlink.gateway.portmap;

import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.GatewayException;
import io.brokerlink.gateway.GatewayStatus;
import io.brokerlink.gateway.Readiness;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.gateway.limits.Admission;
import io.brokerlink.gateway.limits.ConnectionAdmission;
import io.brokerlink.gateway.limits.ConnectionLimits;
import io.brokerlink.gateway.limits.IdleTimeout;
import io.brokerlink.gateway.limits.LimitMeters;
import io.brokerlink.gateway.metrics.ListenerMeters;
import io.brokerlink.gateway.netty.DataPath;
import io.brokerlink.gateway.netty.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running portmap gateway: every listener bound at start, health checks running, connections relayed. */
public final class PortmapGateway implements RunningGateway {

    private static final Logger LOG = LoggerFactory.getLogger(PortmapGateway.class);

    /** Large enough to hold a whole Fetch response batch in flight; back-pressure starts above it. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
    /** During a graceful shutdown, a connection quiet this long has nothing in flight and is closed. */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final PortmapConfig config;
    private final Transport transport;
    private final DataPath dataPath;
    private final EventLoopGroup group;
    private final List<Listener> listeners = new ArrayList<>();
    private final Map<HostPort, BrokerHealth> health = new LinkedHashMap<>();
    private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();
    private final ConnectionAdmission admission;
    private final LimitMeters limitMeters;
    private final HealthChecker checker;
    private volatile boolean closed;

    /** One bound port. {@code broker} is empty for a bootstrap port. */
    private record Listener(String name, PortGroup group, Optional<BrokerRoute> broker, Channel channel,
                            ListenerMeters meters) {
    }

    private PortmapGateway(PortmapConfig config, MeterRegistry registry, Transport transport, DataPath dataPath) {
        if (dataPath == DataPath.SPLICE && !transport.isEpoll()) {
            throw new IllegalArgumentException("splicing needs the epoll transport, not " + transport.name());
        }
        this.config = config;
        this.transport = transport;
        this.dataPath = dataPath;
        this.group = transport.newGroup(Transport.eventLoops(Runtime.getRuntime().availableProcessors()),
                "brokerlink-portmap");
        for (PortGroup g : config.groups()) {
            for (BrokerRoute b : g.brokers()) {
                health.computeIfAbsent(b.target(), t -> new BrokerHealth(t, config.healthCheck()));
            }
        }
        this.checker = new HealthChecker(health.values(), config.healthCheck(), group.next(), transport, registry);
        this.admission = new ConnectionAdmission(config.common().maxConnections(),
                config.common().limits().maxConnectionsPerSource());
        this.limitMeters = new LimitMeters(registry);
    }

    /**
     * Binds every listener (or none: a failure closes what was bound) and starts the health checks. Epoll where it
     * loads, splicing unless {@code -Dbrokerlink.splice=false} (see {@link DataPath}).
     */
    public static PortmapGateway start(PortmapConfig config, MeterRegistry registry) {
        Transport transport = Transport.best();
        return start(config, registry, transport, DataPath.of(transport));
    }

    /** As {@link #start(PortmapConfig, MeterRegistry)} with the transport and data path chosen by the caller. */
    static PortmapGateway start(PortmapConfig config, MeterRegistry registry, Transport transport, DataPath dataPath) {
        PortmapGateway gateway = new PortmapGateway(config, registry, transport, dataPath);
        try {
            gateway.bindAll(registry);
        } catch (RuntimeException e) {
            gateway.shutdownNow();
            throw e;
        }
        gateway.checker.start();
        LOG.info("portmap gateway ({}, {}) listening on {}", gateway.transport.name(),
                gateway.dataPath.name().toLowerCase(java.util.Locale.ROOT), gateway.listeners.stream()
                .map(l -> l.name() + "=" + l.channel().localAddress()).collect(Collectors.joining(", ")));
        return gateway;
    }

    private void bindAll(MeterRegistry registry) {
        for (PortGroup g : config.groups()) {
            List<BrokerHealth> members = g.brokers().stream().map(b -> health.get(b.target())).toList();
            if (g.bootstrapPort().isPresent()) {
                bind(registry, g.name() + "/bootstrap", g, Optional.empty(), g.bootstrapPort().getAsInt(),
                        new UpstreamRoute.BootstrapPort(members));
            }
            for (BrokerRoute b : g.brokers()) {
                bind(registry, g.name() + "/b" + b.nodeId(), g, Optional.of(b), b.listenPort(),
                        new UpstreamRoute.BrokerPort(health.get(b.target())));
            }
        }
    }

    private void bind(MeterRegistry registry, String name, PortGroup g, Optional<BrokerRoute> broker, int port,
                      UpstreamRoute route) {
        ListenerMeters meters = new ListenerMeters(registry, name);
        ChannelFuture bound = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.ALLOCATOR, Transport.BUFFERS)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ConnectionLimits limits = config.common().limits();
                        if (!limits.idleTimeout().isZero()) {
                            ch.pipeline().addLast("idle", new IdleTimeout(limits.idleTimeout(), limitMeters, name));
                        }
                        ch.pipeline().addLast("connect", new UpstreamConnector(PortmapGateway.this, route, meters));
                    }
                })
                .bind(config.bindAddress(), port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new GatewayException("cannot listen on " + config.bindAddress() + ":" + port + " for " + name
                    + ": " + bound.cause().getMessage() + "; stop what uses the port or change the configuration");
        }
        listeners.add(new Listener(name, g, broker, bound.channel(), meters));
    }

    Transport transport() {
        return transport;
    }

    DataPath dataPath() {
        return dataPath;
    }

    int connectTimeoutMillis() {
        return (int) config.common().limits().upstreamConnectTimeout().toMillis();
    }

    boolean closing() {
        return closed;
    }

    LimitMeters limitMeters() {
        return limitMeters;
    }

    /**
     * Counts a new client against max-connections and max-connections-per-source; refused: the caller closes it at
     * once.
     */
    Admission admit(ProxiedConnection connection) {
        Admission answer = admission.admit(connection.client.remoteAddress());
        if (answer instanceof Admission.Admitted admitted) {
            connection.admitted(admitted);
            connections.add(connection);
        }
        return answer;
    }

    void forget(ProxiedConnection connection) {
        connections.remove(connection);
        connection.release();
    }

    @Override
    public List<InetSocketAddress> listenerAddresses() {
        return listeners.stream().map(l -> (InetSocketAddress) l.channel().localAddress()).toList();
    }

    @Override
    public Readiness readiness() {
        if (closed) {
            return Readiness.notReady("shutting down");
        }
        if (!checker.allKnown()) {
            return Readiness.notReady("waiting for the first health check of " + health.values().stream()
                    .filter(h -> h.state() == BrokerHealth.State.UNKNOWN).map(h -> h.target().toString())
                    .collect(Collectors.joining(", ")));
        }
        return Readiness.READY;
    }

    @Override
    public GatewayStatus status() {
        Readiness readiness = readiness();
        List<GatewayStatus.ListenerStatus> listenerStatus = new ArrayList<>();
        List<GatewayStatus.BrokerStatus> brokers = new ArrayList<>();
        for (Listener l : listeners) {
            InetSocketAddress address = (InetSocketAddress) l.channel().localAddress();
            String shown = address.getAddress().getHostAddress() + ":" + address.getPort();
            listenerStatus.add(new GatewayStatus.ListenerStatus(l.name(), shown, l.meters().openConnections()));
            l.broker().ifPresent(b -> brokers.add(new GatewayStatus.BrokerStatus(l.group().name(), b.nodeId(), null,
                    b.target().toString(), b.advertised().orElse(null), b.listenPort(),
                    l.meters().openConnections(),
                    health.get(b.target()).state().name().toLowerCase(java.util.Locale.ROOT))));
        }
        return new GatewayStatus("portmap", transport.name(), readiness.isReady(),
                readiness instanceof Readiness.NotReady n ? n.reason() : "ready", listenerStatus, brokers);
    }

    /** Client connections open now, over all listeners. */
    public int openConnections() {
        return connections.size();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        checker.close();
        for (Listener l : listeners) {
            l.channel().close().awaitUninterruptibly();
        }
        long deadline = System.nanoTime() + config.common().drainTimeout().toNanos();
        int before = connections.size();
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            for (ProxiedConnection c : connections) {
                if (c.quietFor(QUIET_NANOS)) {
                    c.closeBoth();
                }
            }
            sleep(20);
        }
        int forced = connections.size();
        connections.forEach(ProxiedConnection::closeBoth);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        LOG.info("portmap gateway closed: {} connection(s) drained, {} closed at the drain timeout",
                before - forced, forced);
    }

    private void shutdownNow() {
        closed = true;
        checker.close();
        listeners.forEach(l -> l.channel().close());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
