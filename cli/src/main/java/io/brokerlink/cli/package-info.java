/**
 * The {@code brokerlink} command line: one picocli command per job (sandbox, plan, gateway, doctor, demo).
 * Commands translate options into the modules' APIs and report errors as one line naming the option.
 */
package io.brokerlink.cli;
