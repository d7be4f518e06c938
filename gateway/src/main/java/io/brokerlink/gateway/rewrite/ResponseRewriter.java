package io.brokerlink.gateway.rewrite;


import io.brokerlink.core.HostPort;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Collection;
import java.util.Set;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestUtils;

/**
 * Replaces every broker address in a response with its advertised address (the list in PROTOCOL.md), using the
 * generated message classes as the codec. A response that carries no address (or whose optional NodeEndpoints
 * are empty) is returned as the same buffer, not re-encoded. Addresses a client cannot use through the gateway
 * anyway are hidden rather than rewritten: the controllers' listeners in DescribeQuorum v2+, and broker configs
 * whose value lists the cluster's own listeners (DescribeConfigs).
 */
final class ResponseRewriter {

    /** Broker configs whose values are the cluster's internal addresses (listeners, quorum endpoints). */
    private static final Set<String> ADDRESS_CONFIGS = Set.of("listeners", "advertised.listeners",
            "controller.quorum.voters", "controller.quorum.bootstrap.servers");
    private static final byte BROKER_RESOURCE = 4;

    /** The frame to send on: the input itself, or a new buffer (then the input has been released). */
    record Outcome(ByteBuf frame, boolean rewritten) {}

    private final AdvertisedAddresses addresses;
    private final ApiVersionCaps caps;
    private final FetchEndpointsMode fetchMode;

    ResponseRewriter(AdvertisedAddresses addresses, ApiVersionCaps caps, FetchEndpointsMode fetchMode) {
        this.addresses = addresses;
        this.caps = caps;
        this.fetchMode = fetchMode;
    }

    /** Whether responses of this API and version may need a rewrite (all others are never looked at). */
    boolean mayRewrite(short apiKey, short version) {
        return switch (apiKey) {
            // Metadata, FindCoordinator, DescribeCluster, Share*, ApiVersions, DescribeConfigs
            case 3, 10, 60, 78, 79, 18, 32 -> true;
            case 55 -> version >= 2; // DescribeQuorum: controller listeners from v2
            case 0 -> version >= 10;
            case 1 -> version >= 16 && fetchMode == FetchEndpointsMode.SCAN;
            default -> false;
        };
    }

    /** @param frame a whole response frame, size prefix included; ownership passes to this method */
    Outcome rewrite(InFlight request, ByteBuf frame, ByteBufAllocator alloc) {
        short apiKey = request.apiKey();
        short version = request.apiVersion();
        if (apiKey == ApiKeys.FETCH.id && !NodeEndpointsScan.fetchHasNodeEndpoints(frame, version)
                || apiKey == ApiKeys.PRODUCE.id && !NodeEndpointsScan.produceHasNodeEndpoints(frame, version)) {
            return new Outcome(frame, false); // no leader hints: nothing to rewrite, no decoding
        }
        short headerVersion = ApiKeys.forId(apiKey).responseHeaderVersion(version);
        ByteBuffer nio = frame.nioBuffer(frame.readerIndex() + 4, frame.readableBytes() - 4);
        ByteBufferAccessor in = new ByteBufferAccessor(nio);
        ResponseHeaderData header = new ResponseHeaderData(in, headerVersion);
        ApiMessage body;
        short bodyVersion = version;
        boolean changed;
        switch (apiKey) {
            case 3 -> {
                MetadataResponseData d = new MetadataResponseData(in, version);
                changed = metadata(d);
                body = d;
            }
            case 10 -> {
                FindCoordinatorResponseData d = new FindCoordinatorResponseData(in, version);
                changed = findCoordinator(d, version);
                body = d;
            }
            case 60 -> {
                DescribeClusterResponseData d = new DescribeClusterResponseData(in, version);
                changed = describeCluster(d);
                body = d;
            }
            case 0 -> {
                ProduceResponseData d = new ProduceResponseData(in, version);
                changed = endpoints(d.nodeEndpoints(), e -> e.nodeId(), e -> e.host(), e -> e.port(), e -> e.rack(),
                        (e, a) -> e.setHost(a.host()).setPort(a.port()));
                body = d;
            }
            case 1 -> {
                FetchResponseData d = new FetchResponseData(in, version);
                changed = endpoints(d.nodeEndpoints(), e -> e.nodeId(), e -> e.host(), e -> e.port(), e -> e.rack(),
                        (e, a) -> e.setHost(a.host()).setPort(a.port()));
                body = d;
            }
            case 78 -> {
                ShareFetchResponseData d = new ShareFetchResponseData(in, version);
                changed = endpoints(d.nodeEndpoints(), e -> e.nodeId(), e -> e.host(), e -> e.port(), e -> e.rack(),
                        (e, a) -> e.setHost(a.host()).setPort(a.port()));
                body = d;
            }
            case 79 -> {
                ShareAcknowledgeResponseData d = new ShareAcknowledgeResponseData(in, version);
                changed = endpoints(d.nodeEndpoints(), e -> e.nodeId(), e -> e.host(), e -> e.port(), e -> e.rack(),
                        (e, a) -> e.setHost(a.host()).setPort(a.port()));
                body = d;
            }
            case 18 -> {
                // A broker that does not support the requested version answers with a v0 body (PROTOCOL.md).
                if (nio.remaining() >= 2 && nio.getShort(nio.position()) == Errors.UNSUPPORTED_VERSION.code()) {
                    bodyVersion = 0;
                }
                ApiVersionsResponseData d = new ApiVersionsResponseData(in, bodyVersion);
                changed = capApiVersions(d);
                body = d;
            }
            case 32 -> {
                DescribeConfigsResponseData d = new DescribeConfigsResponseData(in, version);
                changed = hideAddressConfigs(d);
                body = d;
            }
            case 55 -> {
                DescribeQuorumResponseData d = new DescribeQuorumResponseData(in, version);
                changed = hideControllerListeners(d);
                body = d;
            }
            default -> throw new IllegalStateException("no rewrite for api key " + apiKey);
        }
        if (!changed) {
            return new Outcome(frame, false);
        }
        ByteBuffer encoded = RequestUtils.serialize(header, headerVersion, body, bodyVersion);
        ByteBuf out = alloc.buffer(4 + encoded.remaining());
        out.writeInt(encoded.remaining());
        out.writeBytes(encoded);
        frame.release(); // decoded strings were copied out by now; the records of a Fetch were re-encoded above
        return new Outcome(out, true);
    }

    private boolean metadata(MetadataResponseData d) {
        boolean changed = false;
        Iterator<MetadataResponseData.MetadataResponseBroker> it = d.brokers().iterator();
        while (it.hasNext()) {
            MetadataResponseData.MetadataResponseBroker b = it.next();
            HostPort a = addresses.advertised(b.nodeId(), b.host(), b.port(), b.rack());
            if (a == null) {
                it.remove();
            } else {
                b.setHost(a.host()).setPort(a.port());
            }
            changed = true;
        }
        return changed;
    }

    private boolean describeCluster(DescribeClusterResponseData d) {
        boolean changed = false;
        Iterator<DescribeClusterResponseData.DescribeClusterBroker> it = d.brokers().iterator();
        while (it.hasNext()) {
            DescribeClusterResponseData.DescribeClusterBroker b = it.next();
            HostPort a = addresses.advertised(b.brokerId(), b.host(), b.port(), b.rack());
            if (a == null) {
                it.remove();
            } else {
                b.setHost(a.host()).setPort(a.port());
            }
            changed = true;
        }
        return changed;
    }

    private boolean findCoordinator(FindCoordinatorResponseData d, short version) {
        if (version < 4) {
            if (d.nodeId() < 0 || d.host().isEmpty()) {
                return false; // "not available": nothing to hide
            }
            HostPort a = addresses.advertised(d.nodeId(), d.host(), d.port(), null);
            if (a == null) {
                d.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()).setNodeId(-1).setHost("").setPort(-1);
            } else {
                d.setHost(a.host()).setPort(a.port());
            }
            return true;
        }
        boolean changed = false;
        for (FindCoordinatorResponseData.Coordinator c : d.coordinators()) {
            if (c.nodeId() < 0 || c.host().isEmpty()) {
                continue;
            }
            HostPort a = addresses.advertised(c.nodeId(), c.host(), c.port(), null);
            if (a == null) {
                c.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()).setNodeId(-1).setHost("").setPort(-1);
            } else {
                c.setHost(a.host()).setPort(a.port());
            }
            changed = true;
        }
        return changed;
    }

    private <E> boolean endpoints(Collection<E> list, java.util.function.ToIntFunction<E> id,
                                  java.util.function.Function<E, String> host, java.util.function.ToIntFunction<E> port,
                                  java.util.function.Function<E, String> rack,
                                  java.util.function.BiConsumer<E, HostPort> set) {
        if (list.isEmpty()) {
            return false;
        }
        Iterator<E> it = list.iterator();
        while (it.hasNext()) {
            E e = it.next();
            HostPort a = addresses.advertised(id.applyAsInt(e), host.apply(e), port.applyAsInt(e), rack.apply(e));
            if (a == null) {
                it.remove();
            } else {
                set.accept(e, a);
            }
        }
        return true;
    }

    /**
     * A broker's listener configs name upstream hosts and ports. Shown as Kafka shows a password (value null,
     * sensitive): tools print them as hidden instead of failing, and nothing upstream reaches the client.
     */
    private static boolean hideAddressConfigs(DescribeConfigsResponseData d) {
        boolean changed = false;
        for (DescribeConfigsResponseData.DescribeConfigsResult r : d.results()) {
            if (r.resourceType() != BROKER_RESOURCE) {
                continue;
            }
            for (DescribeConfigsResponseData.DescribeConfigsResourceResult c : r.configs()) {
                if (isAddressConfig(c.name()) && c.value() != null) {
                    c.setValue(null).setIsSensitive(true);
                    changed = true;
                }
                for (DescribeConfigsResponseData.DescribeConfigsSynonym s : c.synonyms()) {
                    if (isAddressConfig(s.name()) && s.value() != null) {
                        s.setValue(null);
                        changed = true;
                    }
                }
            }
        }
        return changed;
    }

    private static boolean isAddressConfig(String name) {
        return ADDRESS_CONFIGS.contains(name) || name.endsWith(".bootstrap.servers");
    }

    /** Controllers are not behind the gateway: their endpoints would only leak internal addresses. */
    private static boolean hideControllerListeners(DescribeQuorumResponseData d) {
        boolean changed = false;
        for (DescribeQuorumResponseData.Node n : d.nodes()) {
            if (!n.listeners().isEmpty()) {
                n.listeners().clear();
                changed = true;
            }
        }
        return changed;
    }

    private boolean capApiVersions(ApiVersionsResponseData d) {
        boolean changed = false;
        Iterator<ApiVersionsResponseData.ApiVersion> it = d.apiKeys().iterator();
        while (it.hasNext()) {
            ApiVersionsResponseData.ApiVersion v = it.next();
            short cap = caps.cap(v.apiKey());
            if (cap < 0 || v.maxVersion() <= cap) {
                continue;
            }
            changed = true;
            if (v.minVersion() > cap) {
                it.remove(); // the broker speaks only versions this gateway cannot parse
            } else {
                v.setMaxVersion(cap);
            }
        }
        return changed;
    }
}
