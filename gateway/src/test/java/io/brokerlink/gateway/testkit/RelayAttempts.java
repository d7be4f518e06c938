package io.brokerlink.gateway.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestUtils;

/**
 * What a client might send to turn a gateway into an open relay: proxy protocols and Kafka frames that name another
 * address, and a TLS ClientHello. A gateway must connect only where its configuration or upstream metadata says.
 */
public final class RelayAttempts {

    private RelayAttempts() {
    }

    /** Each attempt by name, in a fixed order, every one naming {@code host:port}. */
    public static Map<String, byte[]> naming(String host, int port) {
        String address = host + ":" + port;
        Map<String, byte[]> attempts = new LinkedHashMap<>();
        attempts.put("HTTP CONNECT", ("CONNECT " + address + " HTTP/1.1\r\nHost: " + address + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        attempts.put("PROXY v1", ("PROXY TCP4 " + host + " " + host + " 40000 " + port + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        attempts.put("SOCKS5", socks5Connect(host, port));
        attempts.put("Kafka Metadata response naming the canary", metadataResponseNaming(host, port));
        attempts.put("Kafka Metadata request naming the canary", metadataRequestNaming(address));
        attempts.put("TLS ClientHello", new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00});
        return attempts;
    }

    private static byte[] socks5Connect(String host, int port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x05, 0x01, 0x00}); // greeting: no authentication
        out.writeBytes(new byte[] {0x05, 0x01, 0x00, 0x01}); // CONNECT to an IPv4 address
        for (String octet : host.split("\\.")) {
            out.write(Integer.parseInt(octet));
        }
        out.write(port >> 8);
        out.write(port & 0xff);
        return out.toByteArray();
    }

    /** A Metadata response listing {@code host:port} as broker 1, sent where a request belongs. */
    private static byte[] metadataResponseNaming(String host, int port) {
        MetadataResponseData body = new MetadataResponseData();
        body.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(1).setHost(host).setPort(port));
        return KafkaFrames.sizePrefixed(RequestUtils.serialize(new ResponseHeaderData().setCorrelationId(1), (short) 1,
                body, (short) 12));
    }

    /** A well-formed Metadata request whose topic and client id name {@code address}. */
    private static byte[] metadataRequestNaming(String address) {
        MetadataRequestData body = new MetadataRequestData();
        body.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(address.replace(':', '_')));
        short version = 12;
        return KafkaFrames.sizePrefixed(RequestUtils.serialize(new RequestHeaderData()
                .setRequestApiKey(ApiKeys.METADATA.id).setRequestApiVersion(version).setCorrelationId(1)
                .setClientId(address), ApiKeys.METADATA.requestHeaderVersion(version), body, version));
    }
}
