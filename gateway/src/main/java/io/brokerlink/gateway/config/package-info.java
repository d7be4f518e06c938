/**
 * Gateway configuration: the YAML file read strictly into records that validate themselves.
 *
 * <p>{@link io.brokerlink.gateway.config.GatewayConfigLoader} parses the file into a tree that keeps every value's
 * line and column ({@link io.brokerlink.gateway.config.ConfigNode}), reads the parts common to every mode
 * ({@link io.brokerlink.gateway.config.CommonSettings}) and hands the rest to the mode's reader. Every error names
 * the file, line, column, field path and what would be valid.
 */
package io.brokerlink.gateway.config;
