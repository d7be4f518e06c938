/**
 * What the gateway's integration tests share: free ports ({@link io.brokerlink.gateway.testkit.FreePorts}), the test
 * JVM's hosts file, certificates and secure listeners of a sandbox cluster, a gateway started from YAML and awaited
 * ({@link io.brokerlink.gateway.testkit.ReadyGateway}), client settings and record round trips through it
 * ({@link io.brokerlink.gateway.testkit.ClientSettings}, {@link io.brokerlink.gateway.testkit.Records}), raw-socket
 * probes and Kafka frames, a recording TCP forwarder, log capture, and closing it all in order
 * ({@link io.brokerlink.gateway.testkit.Teardown}).
 */
package io.brokerlink.gateway.testkit;
