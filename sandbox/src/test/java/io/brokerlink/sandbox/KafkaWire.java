package io.brokerlink.sandbox;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One Metadata request over a plain socket to exactly one address, as {@code kafka-broker-api-versions} does
 * for bootstrapping: the answer lists what the listener advertises, without connecting to those addresses.
 */
final class KafkaWire {
    private KafkaWire() {
    }

    static MetadataResponse metadata(String host, int port) throws IOException {
        short version = ApiKeys.METADATA.latestVersion();
        MetadataRequest request = new MetadataRequest.Builder(new MetadataRequestData().setTopics(java.util.List.of()))
                .build(version);
        RequestHeader header = new RequestHeader(ApiKeys.METADATA, version, "sandbox-test", 1);
        ByteBuffer body = request.serializeWithHeader(header);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(10000);
            OutputStream out = socket.getOutputStream();
            byte[] frame = new byte[4 + body.remaining()];
            ByteBuffer.wrap(frame).putInt(body.remaining()).put(body);
            out.write(frame);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            return (MetadataResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
        }
    }
}
