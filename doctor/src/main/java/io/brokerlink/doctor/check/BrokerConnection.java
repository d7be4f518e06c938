package io.brokerlink.doctor.check;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One plain TCP connection to one exact address, speaking the Kafka protocol through kafka-clients' own request and
 * response classes. Unlike a client's connection pool it never moves to another broker, so what answers here is what
 * the consumer reaches at this address.
 */
final class BrokerConnection implements AutoCloseable {

    private static final String CLIENT_ID = "brokerlink-doctor";

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int correlationId;
    private ApiVersionsResponseData apiVersions;

    private BrokerConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static BrokerConnection open(InetSocketAddress address, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.setTcpNoDelay(true);
            return new BrokerConnection(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** ApiVersions v3 (what every 2.4+ broker answers); the ranges drive the versions of later requests. */
    ApiVersionsResponseData apiVersions() throws IOException {
        if (apiVersions == null) {
            ApiVersionsResponse r = send(new ApiVersionsRequest.Builder(), (short) 3);
            if (r.data().errorCode() != Errors.NONE.code()) {
                throw new IOException("ApiVersions answered " + Errors.forCode(r.data().errorCode()));
            }
            apiVersions = r.data();
        }
        return apiVersions;
    }

    /** Metadata for no topics: the broker list, cluster id and controller as this address's broker sees them. */
    MetadataResponse metadata() throws IOException {
        return send(new MetadataRequest.Builder(List.of(), false), version(ApiKeys.METADATA));
    }

    /**
     * Whether the broker behind this connection is node {@code nodeId}. A broker answers DescribeConfigs for a
     * BROKER resource only under its own id (any other id is INVALID_REQUEST), which makes it name itself.
     */
    Errors describeOwnConfig(int nodeId) throws IOException {
        DescribeConfigsRequestData data = new DescribeConfigsRequestData().setResources(List.of(
                new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.BROKER.id())
                        .setResourceName(Integer.toString(nodeId))
                        .setConfigurationKeys(List.of("node.id"))));
        DescribeConfigsResponse r = send(new DescribeConfigsRequest.Builder(data), version(ApiKeys.DESCRIBE_CONFIGS));
        return Errors.forCode(r.data().results().get(0).errorCode());
    }

    private short version(ApiKeys key) throws IOException {
        ApiVersionsResponseData.ApiVersion range = apiVersions().apiKeys().find(key.id);
        if (range == null) {
            throw new IOException("the broker does not support " + key.name);
        }
        return (short) Math.min(range.maxVersion(), key.latestVersion());
    }

    @SuppressWarnings("unchecked")
    private <T extends AbstractResponse> T send(AbstractRequest.Builder<?> builder, short version) throws IOException {
        AbstractRequest request = builder.build(version);
        RequestHeader header = new RequestHeader(request.apiKey(), version, CLIENT_ID, ++correlationId);
        ByteBuffer payload = request.serializeWithHeader(header);
        byte[] frame = new byte[4 + payload.remaining()];
        ByteBuffer.wrap(frame).putInt(payload.remaining()).put(payload);
        out.write(frame);
        out.flush();
        int size;
        try {
            size = in.readInt();
        } catch (EOFException e) {
            throw new EOFException("the connection was closed before " + request.apiKey().name + " was answered");
        }
        if (size < 0 || size > 64 * 1024 * 1024) {
            throw new IOException("a response frame of " + size + " bytes: this port does not speak Kafka");
        }
        byte[] body = new byte[size];
        in.readFully(body);
        return (T) AbstractResponse.parseResponse(ByteBuffer.wrap(body), header);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a probe connection: nothing left to report
        }
    }
}
