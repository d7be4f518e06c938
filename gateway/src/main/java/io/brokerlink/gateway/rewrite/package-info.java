/**
 * Rewrite mode of the gateway: a Kafka-protocol-aware proxy in front of an unchanged cluster.
 *
 * <p>One listener per broker, its port a pure function of configuration and node id ({@link
 * io.brokerlink.gateway.rewrite.NodePortMap}); every response that carries a broker address is decoded with
 * kafka-clients' generated message classes and re-encoded with the advertised address
 * ({@link io.brokerlink.gateway.rewrite.ResponseRewriter}); every other frame is forwarded as the same bytes.
 * The pipeline of a client connection: {@link io.brokerlink.gateway.rewrite.KafkaFrameDecoder} then
 * {@link io.brokerlink.gateway.rewrite.ClientConnection}; of its broker connection: the frame decoder then
 * {@link io.brokerlink.gateway.rewrite.UpstreamConnection}.
 */
package io.brokerlink.gateway.rewrite;
