/**
 * The bounded fuzz test of both gateway modes ({@link io.brokerlink.gateway.fuzz.GatewayFuzzIT}) and its parts:
 * real client traffic recorded per run (through {@link io.brokerlink.gateway.testkit.TcpForwarder}) and split into
 * {@link io.brokerlink.gateway.fuzz.RequestFrame}s, seeded generators of hostile inputs built from them
 * ({@link io.brokerlink.gateway.fuzz.FuzzCases}, with {@link io.brokerlink.gateway.fuzz.LengthFields} pointing at
 * every length prefix of a request), a raw-socket runner ({@link io.brokerlink.gateway.fuzz.FuzzConnection}) and
 * the well-behaved clients that must keep working alongside ({@link io.brokerlink.gateway.fuzz.NormalTraffic}).
 */
package io.brokerlink.gateway.fuzz;
