/**
 * {@code brokerlink doctor lint}: static checks of brokers' {@code server.properties} files, alone and across files.
 * {@link io.brokerlink.doctor.lint.PropertiesFile} parses like {@link java.util.Properties} but keeps line numbers;
 * {@link io.brokerlink.doctor.lint.Linter} runs the checks.
 */
package io.brokerlink.doctor.lint;
