package io.brokerlink.gateway.rewrite;

import io.brokerlink.core.HostPort;

import io.brokerlink.gateway.GatewayException;
import io.brokerlink.gateway.GatewayStatus;
import io.brokerlink.gateway.Readiness;
import io.brokerlink.gateway.RunningGateway;
import io.brokerlink.core.HostPort;
import io.brokerlink.gateway.limits.ConnectionAdmission;
import io.brokerlink.gateway.limits.IdleTimeout;
import io.brokerlink.gateway.limits.LimitMeters;
import io.brokerlink.gateway.metrics.ListenerMeters;
import io.brokerlink.gateway.netty.DataPath;
import io.brokerlink.gateway.netty.Transport;
import io.brokerlink.gateway.tls.PlaintextOnTlsDetector;
import io.brokerlink.gateway.tls.ReloadingSslContext;
import io.brokerlink.gateway.tls.TlsMaterialException;
import io.brokerlink.gateway.tls.UpstreamTlsProbe;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running rewrite-mode gateway: learns the brokers from upstream metadata, binds one listener per broker at the
 * port {@link NodePortMap} assigns, and keeps the set of listeners in step with the cluster.
 *
 * <pre>{@code
 * try (RewriteGateway gw = RewriteGateway.start(config, registry)) { ... gw.ready() ... }
 * }</pre>
 */
public final class RewriteGateway implements RunningGateway, AdvertisedAddresses {

    /**
     * {@code -Dbrokerlink.splice-produce=false} copies Produce requests through user space while responses are still
     * spliced: the bench's A/B switch for the request half alone ({@code -Dbrokerlink.splice=false} turns off both).
     */
    private static final boolean SPLICE_PRODUCE = !"false".equals(System.getProperty("brokerlink.splice-produce"));

    private static final Logger LOG = LoggerFactory.getLogger(RewriteGateway.class);
    private static final Duration MIN_REFRESH_GAP = Duration.ofSeconds(1);

    private record KnownBroker(int nodeId, HostPort upstream, String rack) {}

    private final RewriteConfig config;
    private final NodePortMap portMap;
    private final RewriteMetrics metrics;
    private final MeterRegistry registry;
    private final Map<String, ListenerMeters> meters = new ConcurrentHashMap<>();
    private final Transport transport;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final RewriteContext context;
    private final ReloadingSslContext listenerTls;
    private final ReloadingSslContext upstreamTls;
    /** Checks TLS files for changes; null when neither leg uses TLS. */
    private final ScheduledExecutorService tlsReloads;
    /** Replaced when upstream TLS files change: Kafka's client reads them once, at creation. */
    private volatile Admin admin;
    private final ScheduledExecutorService refresher;
    private final Map<Integer, BrokerListener> listeners = new ConcurrentHashMap<>();
    private final Set<Integer> reportedUnplaced = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastRefreshRequest = new AtomicLong();
    private volatile Map<Integer, KnownBroker> known = Map.of();
    private volatile long lastRefreshNanos;
    private volatile boolean closed;

    private RewriteGateway(RewriteConfig config, MeterRegistry registry, ReloadingSslContext listenerTls,
                           ReloadingSslContext upstreamTls, Transport transport, DataPath dataPath) {
        if (dataPath == DataPath.SPLICE && !transport.isEpoll()) {
            throw new IllegalArgumentException("splicing needs the epoll transport, not " + transport.name());
        }
        int workerThreads = Transport.eventLoops(Math.max(2, Runtime.getRuntime().availableProcessors()));
        this.admin = createMetadataAdmin(config); // first: a refused client configuration leaves no threads behind
        this.config = config;
        this.listenerTls = listenerTls;
        this.upstreamTls = upstreamTls;
        this.portMap = new NodePortMap(config);
        this.metrics = new RewriteMetrics(registry);
        this.registry = registry;
        this.transport = transport;
        this.acceptors = transport.newGroup(1, "rewrite-accept");
        this.workers = transport.newGroup(workerThreads, "rewrite-io");
        ApiVersionCaps caps = new ApiVersionCaps(config.fetchEndpoints());
        this.context = new RewriteContext(config, transport, dataPath, metrics,
                new ResponseRewriter(this, caps, config.fetchEndpoints()), caps,
                new ConnectionAdmission(config.common().maxConnections(), config.common().limits().maxConnectionsPerSource()),
                new LimitMeters(registry), listenerTls, upstreamTls);
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rewrite-metadata-refresh");
            t.setDaemon(true);
            return t;
        });
        this.tlsReloads = listenerTls == null && upstreamTls == null ? null
                : Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "rewrite-tls-reload");
                    t.setDaemon(true);
                    return t;
                });
        if (listenerTls != null) {
            listenerTls.watch(tlsReloads, config.listenerTls().reloadCheck());
        }
        if (upstreamTls != null) {
            upstreamTls.onReload(built -> replaceAdmin());
            upstreamTls.watch(tlsReloads, config.upstreamTls().reloadCheck());
        }
    }

    /** Called after upstream TLS files changed: later metadata requests use the new trust and client certificate. */
    private synchronized void replaceAdmin() {
        if (closed) {
            return;
        }
        Admin old = admin;
        admin = createMetadataAdmin(config);
        old.close(Duration.ofSeconds(5));
        LOG.info("upstream-tls: the metadata client was recreated with the new files");
    }

    /**
     * The metadata Admin's properties: {@code metadata-client} (its security settings) under the gateway's own
     * bootstrap, client id and timeouts.
     */
    static Properties metadataAdminProperties(RewriteConfig config) {
        Properties props = new Properties();
        props.putAll(config.metadataClient().properties());
        if (config.upstreamTls() != null) {
            props.putAll(config.upstreamTls().kafkaClientProperties());
        }
        // upstream-tls decides TLS (one setting for this client and every proxied connection), metadata-client SASL.
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                config.metadataClient().securityProtocol(config.upstreamTls() != null).name);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap(config));
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "brokerlink-gateway-metadata");
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) config.connectTimeout().toMillis());
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.connectTimeout().toMillis() * 2);
        return props;
    }

    private static String bootstrap(RewriteConfig config) {
        return String.join(",", config.upstream().stream().map(HostPort::toString).toList());
    }

    /** Kafka refuses some settings only when the client is built (a JAAS line it cannot parse): one line, not a trace. */
    private static Admin createMetadataAdmin(RewriteConfig config) {
        try {
            return Admin.create(metadataAdminProperties(config));
        } catch (KafkaException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new GatewayException("rewrite: the metadata client cannot be created with metadata-client "
                    + config.metadataClient() + ": " + cause.getMessage());
        }
    }

    /**
     * Fetches upstream metadata, binds every listener and returns once all are bound (ready). A broker the
     * configuration gives no port, or two brokers on one port, is a configuration error here.
     */
    public static RewriteGateway start(RewriteConfig config, MeterRegistry registry) {
        Transport transport = Transport.best();
        return start(config, registry, transport, DataPath.of(transport));
    }

    /** As {@link #start(RewriteConfig, MeterRegistry)} with the transport and data path chosen by the caller. */
    static RewriteGateway start(RewriteConfig config, MeterRegistry registry, Transport transport, DataPath dataPath) {
        ReloadingSslContext listenerTls;
        ReloadingSslContext upstreamTls;
        try {
            listenerTls = config.listenerTls() == null ? null
                    : ReloadingSslContext.server("listener-tls", config.listenerTls());
        } catch (TlsMaterialException e) {
            throw new io.brokerlink.gateway.GatewayException("listener-tls." + e.field() + ": " + e.getMessage());
        }
        try {
            upstreamTls = config.upstreamTls() == null ? null
                    : ReloadingSslContext.client("upstream-tls", config.upstreamTls());
        } catch (TlsMaterialException e) {
            throw new io.brokerlink.gateway.GatewayException("upstream-tls." + e.field() + ": " + e.getMessage());
        }
        if (listenerTls != null) {
            LOG.info("listener-tls: {}", listenerTls.summary());
        }
        if (upstreamTls != null) {
            LOG.info("upstream-tls: {}", upstreamTls.summary());
            if (!config.upstreamTls().hostnameVerification()) {
                LOG.warn("upstream-tls.hostname-verification is false: a broker certificate is accepted whatever host "
                        + "it names, so anyone holding a certificate from the trusted CAs can pose as a broker");
            }
        }
        RewriteGateway gw = new RewriteGateway(config, registry, listenerTls, upstreamTls, transport, dataPath);
        try {
            gw.bindAddressKeyed();
            gw.refresh(true);
        } catch (RuntimeException e) {
            gw.close();
            throw e instanceof io.brokerlink.gateway.GatewayException ge ? ge
                    : new io.brokerlink.gateway.GatewayException(e.getMessage());
        }
        long every = config.metadataRefresh().toMillis();
        gw.refresher.scheduleWithFixedDelay(gw::refreshQuietly, every, every, TimeUnit.MILLISECONDS);
        LOG.info("rewrite gateway ready on {} ({} transport, {}): {}", config.listenHost(), gw.transport.name(),
                gw.context.dataPath() == DataPath.SPLICE ? "unrewritten response bodies and Produce record batches spliced" : "no splicing",
                gw.status().brokers().stream().map(b -> b.port() + "->broker " + b.nodeId()).toList());
        return gw;
    }

    /** Every bound listener address, by port. */
    @Override
    public List<InetSocketAddress> listenerAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (BrokerListener l : sortedListeners()) {
            Channel ch = l.serverChannel;
            if (ch != null && ch.isActive()) {
                out.add((InetSocketAddress) ch.localAddress());
            }
        }
        return out;
    }

    /** Ready: metadata is fresh (three refresh periods at most) and every present broker's listener is bound. */
    public boolean ready() {
        return readiness().isReady();
    }

    @Override
    public Readiness readiness() {
        if (closed) {
            return Readiness.notReady("shutting down");
        }
        if (lastRefreshNanos == 0) {
            return Readiness.notReady("no upstream metadata yet");
        }
        long age = System.nanoTime() - lastRefreshNanos;
        if (age > config.metadataRefresh().multipliedBy(3).plusSeconds(10).toNanos()) {
            return Readiness.notReady("upstream metadata is " + TimeUnit.NANOSECONDS.toSeconds(age)
                    + " s old (refresh every " + config.metadataRefresh().toSeconds() + " s is failing)");
        }
        for (KnownBroker b : known.values()) {
            if (portMap.place(b.nodeId(), b.upstream(), b.rack()) instanceof NodePortMap.Placed p) {
                BrokerListener l = listeners.get(p.listen().port());
                if (l == null || l.serverChannel == null || !l.serverChannel.isActive()) {
                    return Readiness.notReady("broker " + b.nodeId() + "'s listener " + p.listen() + " is not bound");
                }
            }
        }
        return Readiness.READY;
    }

    @Override
    public GatewayStatus status() {
        Readiness readiness = readiness();
        List<GatewayStatus.ListenerStatus> ls = new ArrayList<>();
        List<GatewayStatus.BrokerStatus> bs = new ArrayList<>();
        for (BrokerListener l : sortedListeners()) {
            ls.add(new GatewayStatus.ListenerStatus(l.name, l.listen.toString(), l.meters.openConnections()));
            if (l.nodeId != null) {
                bs.add(new GatewayStatus.BrokerStatus("rewrite", l.nodeId, l.rack,
                        l.upstream == null ? null : l.upstream.toString(),
                        l.advertised == null ? null : l.advertised.toString(), l.listen.port(),
                        l.meters.openConnections(), l.draining ? "draining" : "healthy"));
            }
        }
        return new GatewayStatus("rewrite", transport.name(), readiness.isReady(),
                readiness instanceof Readiness.NotReady n ? n.reason() : "ready", ls, bs);
    }

    /** Re-reads upstream metadata now (normally it happens every {@code metadataRefresh}). */
    public void refreshNow() {
        refresh(false);
    }

    @Override
    public HostPort advertised(int nodeId, String upstreamHost, int upstreamPort, String rack) {
        KnownBroker k = known.get(nodeId);
        String r = rack != null ? rack : k == null ? null : k.rack();
        HostPort upstream = upstreamHost == null || upstreamHost.isEmpty() || upstreamPort < 0 ? null
                : new HostPort(upstreamHost, upstreamPort);
        NodePortMap.Placement placement = portMap.place(nodeId, upstream, r);
        if (placement instanceof NodePortMap.Placed p) {
            if (k == null) {
                requestRefresh(); // a broker this instance has not bound yet: bind it soon
            }
            return p.advertised();
        }
        reportUnplaced((NodePortMap.Unplaced) placement);
        return null;
    }

    private List<BrokerListener> sortedListeners() {
        return listeners.values().stream().sorted(Comparator.comparingInt(l -> l.listen.port())).toList();
    }

    /** kafka-proxy's mappings listen from the start, forwarding to their configured address. */
    private void bindAddressKeyed() {
        for (RewriteConfig.BrokerMapping b : config.brokers()) {
            if (b.upstream() != null) {
                BrokerListener l = newListener("mapping-" + b.listen().port(), b.listen(), true);
                l.upstream = b.upstream();
                l.advertised = b.advertised();
                bind(l);
            }
        }
    }

    private void requestRefresh() {
        long now = System.nanoTime();
        long last = lastRefreshRequest.get();
        if (now - last > MIN_REFRESH_GAP.toNanos() && lastRefreshRequest.compareAndSet(last, now) && !closed) {
            refresher.execute(this::refreshQuietly);
        }
    }

    private void refreshQuietly() {
        try {
            refresh(false);
        } catch (RuntimeException e) {
            LOG.warn("metadata refresh from {} failed: {} (listeners stay as they are)", config.upstream(), e.getMessage());
        }
    }

    private synchronized void refresh(boolean startup) {
        if (closed) {
            return;
        }
        Collection<Node> nodes;
        try {
            nodes = admin.describeCluster().nodes().get(config.connectTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching metadata");
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (startup && upstreamTls != null) {
                // Kafka's client reports a PLAINTEXT listener as a timeout and a wrong name deep in a trace.
                java.util.Optional<String> tls = tlsDiagnosis();
                if (tls.isPresent()) {
                    throw new IllegalStateException("rewrite.upstream: cannot fetch metadata from " + config.upstream()
                            + ": " + tls.get());
                }
            }
            if (cause instanceof AuthenticationException && !(cause instanceof SslAuthenticationException)) {
                // Kafka fails at once on bad credentials (no retry): say so instead of letting it look like a timeout.
                throw new IllegalStateException("rewrite: the metadata client cannot authenticate to "
                        + bootstrap(config) + ": " + cause.getMessage() + "; check metadata-client sasl.*");
            }
            throw new IllegalStateException("rewrite.upstream: cannot fetch metadata from " + config.upstream() + ": "
                    + cause + ((cause instanceof TimeoutException || cause instanceof java.util.concurrent.TimeoutException)
                    && !config.metadataClient().usesSasl()
                    ? " (a cluster that requires SASL closes the connections of a client without it: if it does, "
                    + "give the gateway's credentials in metadata-client)" : ""));
        }
        Map<Integer, KnownBroker> now = new HashMap<>();
        Map<Integer, Integer> portOwner = new HashMap<>();
        for (Node n : nodes) {
            KnownBroker b = new KnownBroker(n.id(), new HostPort(n.host(), n.port()), n.rack());
            now.put(b.nodeId(), b);
            NodePortMap.Placement placement = portMap.place(b.nodeId(), b.upstream(), b.rack());
            if (placement instanceof NodePortMap.Unplaced u) {
                if (startup) {
                    throw new IllegalArgumentException("rewrite: " + u.reason());
                }
                reportUnplaced(u);
                continue;
            }
            NodePortMap.Placed p = (NodePortMap.Placed) placement;
            Integer other = portOwner.putIfAbsent(p.listen().port(), b.nodeId());
            if (other != null) {
                String reason = "brokers " + other + " and " + b.nodeId() + " both map to port " + p.listen().port();
                if (startup) {
                    throw new IllegalArgumentException("rewrite: " + reason);
                }
                reportUnplaced(new NodePortMap.Unplaced(b.nodeId(), reason));
                continue;
            }
            BrokerListener l = listeners.get(p.listen().port());
            if (l == null || l.draining) {
                l = newListener("b" + b.nodeId(), p.listen(), false);
                l.nodeId = b.nodeId();
                l.upstream = b.upstream();
                l.rack = b.rack();
                l.advertised = p.advertised();
                bind(l);
                if (!startup) {
                    LOG.info("broker {} appeared at {}: listening on {}, advertised as {}", b.nodeId(), b.upstream(),
                            p.listen(), p.advertised());
                }
            } else {
                l.nodeId = b.nodeId();
                l.rack = b.rack();
                l.advertised = p.advertised();
                if (!l.addressKeyed) {
                    l.upstream = b.upstream();
                }
            }
            reportedUnplaced.remove(b.nodeId());
        }
        known = Map.copyOf(now);
        for (BrokerListener l : List.copyOf(listeners.values())) {
            if (!l.addressKeyed && !l.draining && (l.nodeId == null || !now.containsKey(l.nodeId))) {
                drain(l);
            }
        }
        lastRefreshNanos = System.nanoTime();
    }

    /** With upstream TLS, why the bootstrap servers do not complete a handshake (a PLAINTEXT listener, a wrong name). */
    private java.util.Optional<String> tlsDiagnosis() {
        if (upstreamTls == null) {
            return java.util.Optional.empty();
        }
        List<String> found = new ArrayList<>();
        for (HostPort hp : config.upstream()) {
            UpstreamTlsProbe.diagnose(workers, transport.socketChannel(), upstreamTls.context(), hp.host(), hp.port(),
                    config.common().limits().upstreamConnectTimeout()).ifPresent(found::add);
        }
        return found.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join("; ", found));
    }

    private void reportUnplaced(NodePortMap.Unplaced u) {
        if (reportedUnplaced.add(u.nodeId())) {
            metrics.unplacedBroker();
            LOG.warn("rewrite: {}; clients are not told about this broker until the configuration gives it a port",
                    u.reason());
        }
    }

    private BrokerListener newListener(String name, HostPort listen, boolean addressKeyed) {
        // Meters live as long as the process: a broker that leaves and returns keeps its series.
        ListenerMeters m = meters.computeIfAbsent(name, n -> new ListenerMeters(registry, "rewrite/" + n));
        return new BrokerListener(name, listen, addressKeyed,
                new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE), m);
    }

    private void bind(BrokerListener l) {
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, Transport.BUFFERS)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Duration idle = config.common().limits().idleTimeout();
                        if (!idle.isZero()) {
                            ch.pipeline().addLast("idle", new IdleTimeout(idle, context.limitMeters(), l.meters.listener()));
                        }
                        if (listenerTls != null) {
                            // Replaced by the TLS handler (of the certificate current now) on a TLS record.
                            ch.pipeline().addLast("tls-detect", new PlaintextOnTlsDetector(l.meters.listener(),
                                    listenerTls::context));
                        } else {
                            ch.pipeline().addLast("tls-on-plaintext", new TlsOnPlaintextDetector(l.meters.listener()));
                        }
                        ClientConnection requests = new ClientConnection(context, l);
                        // Produce requests' record batches are spliced to the broker where both legs are plain epoll
                        // sockets; reads then stop at each frame's head (FrameReadSizer) so there is a body to splice.
                        boolean splice = context.dataPath() == DataPath.SPLICE && listenerTls == null
                                && context.upstreamTls() == null && SPLICE_PRODUCE;
                        KafkaFrameDecoder frames = new KafkaFrameDecoder(config.maxFrameBytes(), splice ? requests : null);
                        if (splice) {
                            ch.config().setRecvByteBufAllocator(new FrameReadSizer(frames, requests::splicingRequest));
                        }
                        ch.pipeline().addLast("frames", frames);
                        ch.pipeline().addLast("requests", requests);
                    }
                });
        var future = b.bind(new InetSocketAddress(l.listen.host(), l.listen.port())).awaitUninterruptibly();
        if (!future.isSuccess()) {
            throw new IllegalStateException("rewrite: cannot listen on " + l.listen + " for " + l.name + ": "
                    + future.cause().getMessage() + "; free the port or change the configuration");
        }
        l.serverChannel = future.channel();
        listeners.put(l.listen.port(), l);
    }

    /** Stops accepting on a departed broker's port; its open connections get {@code drainTimeout} to finish. */
    private void drain(BrokerListener l) {
        l.draining = true;
        LOG.info("broker {} left the cluster metadata: {} stops accepting, open connections close within {}",
                l.nodeId, l.listen, config.drainTimeout());
        if (l.serverChannel != null) {
            l.serverChannel.close().awaitUninterruptibly();
        }
        refresher.schedule(() -> {
            l.connections.close();
            listeners.remove(l.listen.port(), l);
        }, config.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Graceful: stops accepting, lets every connection finish the requests it has in flight (no new ones are
     * read) up to the drain timeout, then closes what is left.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        refresher.shutdownNow();
        for (BrokerListener l : listeners.values()) {
            if (l.serverChannel != null) {
                l.serverChannel.close().awaitUninterruptibly();
            }
        }
        for (BrokerListener l : listeners.values()) {
            for (Channel ch : l.connections) {
                ClientConnection c = ch.pipeline().get(ClientConnection.class);
                if (c != null) {
                    ch.eventLoop().execute(c::beginDrain);
                }
            }
        }
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        int open;
        while ((open = listeners.values().stream().mapToInt(l -> l.connections.size()).sum()) > 0
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (open > 0) {
            LOG.info("rewrite gateway: closing {} connection(s) still busy at the drain timeout", open);
        }
        for (BrokerListener l : listeners.values()) {
            l.connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        listeners.clear();
        if (tlsReloads != null) {
            tlsReloads.shutdownNow();
        }
        synchronized (this) {
            admin.close(Duration.ofSeconds(5));
        }
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
