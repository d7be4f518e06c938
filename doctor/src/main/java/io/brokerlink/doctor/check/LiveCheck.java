package io.brokerlink.doctor.check;

import io.brokerlink.core.HostPort;
import io.brokerlink.doctor.Code;
import io.brokerlink.doctor.Finding;
import io.brokerlink.doctor.Severity;
import io.brokerlink.doctor.check.CheckReport.ApiRange;
import io.brokerlink.doctor.check.CheckReport.BootstrapResult;
import io.brokerlink.doctor.check.CheckReport.BrokerResult;
import io.brokerlink.doctor.check.CheckReport.DataPathResult;
import io.brokerlink.doctor.lint.HostPattern;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataResponse;

/**
 * Runs the live checks in CLOUDS.md's order and collects the report. Steps 1 to 3 use {@link BrokerConnection}
 * (one exact address per connection, resolved through the rules); step 4 uses real kafka-clients
 * ({@link DataPathProbe}) after the learned names have been published to the {@link HostsFile}.
 */
public final class LiveCheck {

    private final CheckOptions options;
    private final Progress progress;
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, InetAddress> ruleNames = new LinkedHashMap<>();

    private LiveCheck(CheckOptions options, PrintStream progressOut) {
        this.options = options;
        this.progress = new Progress(progressOut);
    }

    /**
     * @param progressOut where progress lines for slow steps go (stderr), or null for none
     * @throws IllegalStateException when the JVM cannot be made to resolve through the rules (see {@link HostsFile})
     */
    public static CheckReport run(CheckOptions options, PrintStream progressOut) {
        return new LiveCheck(options, progressOut).execute();
    }

    private CheckReport execute() {
        try (progress) {
            HostsFile hosts = options.rules().isEmpty() ? null : HostsFile.activate();
            // 1. bootstrap through every bootstrap address
            List<BootstrapResult> bootstrap = new ArrayList<>();
            MetadataResponse cluster = null;
            String clusterBootstrap = null;
            for (HostPort b : options.bootstrap()) {
                Outcome<MetadataResponse> o = progress.step("bootstrap " + b, () -> bootstrapThrough(b));
                bootstrap.add(o.bootstrapResult(b));
                if (o.value() != null && cluster == null) {
                    cluster = o.value();
                    clusterBootstrap = b.toString();
                } else if (o.value() != null && !sameBrokers(cluster, o.value())) {
                    findings.add(Finding.about(Severity.ERROR, Code.BL202, b.toString(), "bootstrap " + b
                            + " lists brokers " + describe(o.value()) + " but " + clusterBootstrap + " lists "
                            + describe(cluster) + "; both must lead to the same cluster"));
                }
            }
            if (cluster == null) {
                return report(bootstrap, List.of(), null);
            }
            // 2. the broker list and the advertised names
            List<MetadataResponseBroker> brokers = cluster.data().brokers().stream()
                    .sorted(Comparator.comparingInt(MetadataResponseBroker::nodeId)).toList();
            checkNames(brokers);
            if (options.plan() != null) {
                checkPlan(brokers, clusterBootstrap);
            }
            // 3. each advertised address on its own connection
            List<BrokerResult> brokerResults = new ArrayList<>();
            String clusterId = cluster.data().clusterId();
            for (MetadataResponseBroker b : brokers) {
                brokerResults.add(progress.step("broker " + b.nodeId() + " at " + b.host() + ":" + b.port(),
                        () -> checkBroker(b, brokers, clusterId)));
            }
            // 4. the data path, with the consumer's own client library
            if (hosts != null) {
                hosts.publish(ruleNames);
            }
            String bootstrapServers = options.bootstrap().stream().map(HostPort::toString)
                    .collect(Collectors.joining(","));
            DataPathResult dataPath = new DataPathProbe(bootstrapServers, options.timeout(), options.keep(), progress)
                    .run(brokers.stream().map(MetadataResponseBroker::nodeId).toList(), findings,
                            brokers.stream().collect(Collectors.toMap(MetadataResponseBroker::nodeId,
                                    x -> x.host() + ":" + x.port())));
            return report(bootstrap, brokerResults, dataPath);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private CheckReport report(List<BootstrapResult> bootstrap, List<BrokerResult> brokers, DataPathResult dataPath) {
        boolean ok = findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
        return new CheckReport("check", ok, bootstrap, brokers, dataPath, findings);
    }

    /** A step's value, or the reason it has none. */
    private record Outcome<T>(T value, String resolvedTo, String error) {
        BootstrapResult bootstrapResult(HostPort b) {
            if (value instanceof MetadataResponse m) {
                return new BootstrapResult(b.toString(), resolvedTo, Status.OK, null, m.data().clusterId(),
                        m.data().brokers().size());
            }
            return new BootstrapResult(b.toString(), resolvedTo, Status.ERROR, error, null, null);
        }
    }

    private Outcome<MetadataResponse> bootstrapThrough(HostPort b) {
        InetAddress address;
        try {
            address = resolve(b.host());
        } catch (UnknownHostException e) {
            String error = unresolvable(b.host());
            findings.add(Finding.about(Severity.ERROR, Code.BL201, b.toString(), "bootstrap " + b + ": " + error));
            return new Outcome<>(null, null, error);
        }
        try (BrokerConnection c = BrokerConnection.open(new InetSocketAddress(address, b.port()), options.timeout())) {
            c.apiVersions();
            MetadataResponse m = c.metadata();
            if (m.data().brokers().isEmpty()) {
                throw new IOException("Metadata listed no brokers");
            }
            return new Outcome<>(m, address.getHostAddress(), null);
        } catch (IOException e) {
            String error = describe(e, address, b.port());
            findings.add(Finding.about(Severity.ERROR, Code.BL201, b.toString(), "bootstrap " + b + ": " + error
                    + "; the consumer cannot start here (check the bootstrap listener/target group and that"
                    + " the brokers' EXTERNAL listener accepts connections from the endpoint)"));
            return new Outcome<>(null, address.getHostAddress(), error);
        }
    }

    /** Advertised names against the pattern (given or most common), and no two brokers behind one port. */
    private void checkNames(List<MetadataResponseBroker> brokers) {
        HostPattern pattern = options.pattern();
        String source = "the pattern " + (pattern == null ? "" : pattern.text() + ":<port>");
        if (pattern == null) {
            Map<HostPattern, Integer> counts = new LinkedHashMap<>();
            brokers.forEach(b -> counts.merge(HostPattern.shapeOf(b.host(), b.rack()), 1, Integer::sum));
            pattern = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            source = "the shape most brokers advertise (" + pattern.text() + ":<port>)";
        }
        for (MetadataResponseBroker b : brokers) {
            var deviations = pattern.compare(b.host(), b.nodeId(), b.rack());
            if (!deviations.isEmpty()) {
                String expected = pattern.expectedHost(b.nodeId(), b.rack()) + ":" + b.port();
                findings.add(Finding.about(Severity.ERROR, Code.BL210, b.host() + ":" + b.port(), "node "
                        + b.nodeId() + " advertises " + b.host() + ":" + b.port() + ", which does not follow " + source
                        + " (" + deviations.stream().map(LiveCheck::explain).collect(Collectors.joining(", "))
                        + "); expected " + expected));
            }
        }
        Map<Integer, List<MetadataResponseBroker>> byPort = brokers.stream()
                .collect(Collectors.groupingBy(MetadataResponseBroker::port));
        byPort.forEach((port, same) -> {
            if (same.size() > 1) {
                Map<String, List<Integer>> byAddress = new LinkedHashMap<>();
                for (MetadataResponseBroker b : same) {
                    String a;
                    try {
                        a = resolve(b.host()).getHostAddress();
                    } catch (UnknownHostException e) {
                        continue;
                    }
                    byAddress.computeIfAbsent(a, k -> new ArrayList<>()).add(b.nodeId());
                }
                byAddress.forEach((a, ids) -> {
                    if (ids.size() > 1) {
                        findings.add(Finding.about(Severity.ERROR, Code.BL214, a + ":" + port, "nodes " + ids
                                + " all advertise port " + port + " on names that resolve to " + a
                                + "; one port can lead to one broker only, give each its own port"));
                    }
                });
            }
        });
    }

    /** The metadata against the spec's port plan: the same brokers, each at its planned address. */
    private void checkPlan(List<MetadataResponseBroker> brokers, String through) {
        PlannedGroup plan = options.plan();
        Map<Integer, MetadataResponseBroker> listed = brokers.stream()
                .collect(Collectors.toMap(MetadataResponseBroker::nodeId, b -> b));
        plan.advertised().forEach((node, address) -> {
            MetadataResponseBroker b = listed.get(node);
            if (b == null) {
                findings.add(Finding.about(Severity.ERROR, Code.BL215, address.toString(), "node " + node
                        + " (planned at " + address + " in " + plan.group() + ") is not in the metadata from "
                        + through + ", which lists nodes " + listed.keySet().stream().sorted().toList()
                        + "; start it or check that it joined this cluster"));
            } else if (!b.host().equalsIgnoreCase(address.host()) || b.port() != address.port()) {
                String actual = b.host() + ":" + b.port();
                findings.add(Finding.about(Severity.ERROR, Code.BL217, actual, "node " + node + " advertises "
                        + actual + " but the spec's plan for " + plan.group() + " says " + address
                        + "; set its advertised.listeners " + plan.group() + "://" + address));
            }
        });
        for (MetadataResponseBroker b : brokers) {
            if (!plan.advertised().containsKey(b.nodeId())) {
                findings.add(Finding.about(Severity.ERROR, Code.BL216, b.host() + ":" + b.port(), "node "
                        + b.nodeId() + " at " + b.host() + ":" + b.port() + " is in the metadata from " + through
                        + " but the spec plans only nodes " + plan.advertised().keySet()
                        + " in " + plan.group() + "; add it to the spec or check that this is the right cluster"));
            }
        }
    }

    private static String explain(HostPattern.Deviation d) {
        if (d instanceof HostPattern.Deviation.WrongBrokerLabel w) {
            return "broker label " + w.actual() + " is not b + node id";
        } else if (d instanceof HostPattern.Deviation.WrongZone w) {
            return "AZ label " + w.actual() + " is not its rack";
        } else if (d instanceof HostPattern.Deviation.ZoneLabelMissing) {
            return "no AZ label";
        } else if (d instanceof HostPattern.Deviation.ZoneLabelExtra z) {
            return "an AZ label " + z.label() + " the pattern does not have";
        }
        return "another shape";
    }

    private BrokerResult checkBroker(MetadataResponseBroker b, List<MetadataResponseBroker> all, String clusterId) {
        String subject = b.host() + ":" + b.port();
        InetAddress address;
        try {
            address = resolve(b.host());
        } catch (UnknownHostException e) {
            String error = unresolvable(b.host());
            findings.add(Finding.about(Severity.ERROR, Code.BL211, subject, "node " + b.nodeId() + " advertises "
                    + subject + ", which " + error.replaceFirst("^" + java.util.regex.Pattern.quote(b.host()) + " ", "")));
            return new BrokerResult(b.nodeId(), b.host(), b.port(), b.rack(), null, Status.ERROR, error, null, null);
        }
        String resolved = address.getHostAddress();
        try (BrokerConnection c = BrokerConnection.open(new InetSocketAddress(address, b.port()), options.timeout())) {
            ApiVersionsResponseData versions = c.apiVersions();
            MetadataResponse m = c.metadata();
            List<ApiRange> ranges = options.apiVersions() ? ranges(versions) : List.of();
            if (!clusterId.equals(m.data().clusterId())) {
                String error = "reached a broker of another cluster (" + m.data().clusterId() + ", not " + clusterId + ")";
                findings.add(Finding.about(Severity.ERROR, Code.BL213, subject, subject + " " + error
                        + "; the port is forwarded outside this cluster"));
                return new BrokerResult(b.nodeId(), b.host(), b.port(), b.rack(), resolved, Status.ERROR, error, null,
                        ranges);
            }
            Errors self = c.describeOwnConfig(b.nodeId());
            if (self == Errors.NONE) {
                return new BrokerResult(b.nodeId(), b.host(), b.port(), b.rack(), resolved, Status.OK, null,
                        b.nodeId(), ranges);
            }
            if (self != Errors.INVALID_REQUEST) {
                findings.add(Finding.about(Severity.WARNING, Code.BL213, subject, subject + " answers, but which node"
                        + " it is could not be verified (DescribeConfigs: " + self.name() + ")"));
                return new BrokerResult(b.nodeId(), b.host(), b.port(), b.rack(), resolved, Status.OK, null, null,
                        ranges);
            }
            Optional<Integer> reached = Optional.empty();
            for (MetadataResponseBroker other : all) {
                if (other.nodeId() != b.nodeId() && c.describeOwnConfig(other.nodeId()) == Errors.NONE) {
                    reached = Optional.of(other.nodeId());
                    break;
                }
            }
            String error = reached.map(n -> "reached node " + n + " instead of node " + b.nodeId())
                    .orElse("reached a broker that is none of the nodes " + all.stream()
                            .map(MetadataResponseBroker::nodeId).toList());
            String owner = reached.flatMap(n -> all.stream().filter(x -> x.nodeId() == n).findFirst())
                    .map(x -> " (node " + x.nodeId() + " advertises " + x.host() + ":" + x.port() + ")").orElse("");
            findings.add(Finding.about(Severity.ERROR, Code.BL213, subject, subject + " " + error + owner
                    + ": port " + b.port() + " is forwarded to the wrong broker; map it to node " + b.nodeId()
                    + "'s EXTERNAL listener in the load balancer or gateway"));
            return new BrokerResult(b.nodeId(), b.host(), b.port(), b.rack(), resolved, Status.ERROR, error,
                    reached.orElse(null), ranges);
        } catch (IOException e) {
            String error = describe(e, address, b.port());
            findings.add(Finding.about(Severity.ERROR, Code.BL212, subject, "node " + b.nodeId() + " at " + subject
                    + ": " + error + "; bootstrap works but clients cannot reach this broker (check the mapping of"
                    + " port " + b.port() + " to node " + b.nodeId() + "'s EXTERNAL listener)"));
            return new BrokerResult(b.nodeId(), b.host(), b.port(), b.rack(), resolved, Status.ERROR, error, null,
                    null);
        }
    }

    private static List<ApiRange> ranges(ApiVersionsResponseData versions) {
        List<ApiRange> out = new ArrayList<>();
        for (ApiVersionsResponseData.ApiVersion v : versions.apiKeys()) {
            String name;
            Integer usable = null;
            if (ApiKeys.hasId(v.apiKey())) {
                ApiKeys key = ApiKeys.forId(v.apiKey());
                name = key.name;
                int top = Math.min(v.maxVersion(), key.latestVersion());
                usable = top >= v.minVersion() && top >= key.oldestVersion() ? top : null;
            } else {
                name = "UNKNOWN";
            }
            out.add(new ApiRange(name, v.apiKey(), v.minVersion(), v.maxVersion(), usable));
        }
        return out;
    }

    /** IP literal, else the first matching rule, else the JVM's resolver. Names matched by a rule are remembered. */
    private InetAddress resolve(String host) throws UnknownHostException {
        if (ResolveRules.isIpLiteral(host)) {
            return InetAddress.getByName(host);
        }
        Optional<InetAddress> byRule = options.rules().lookup(host);
        if (byRule.isPresent()) {
            ruleNames.put(host, byRule.get());
            return byRule.get();
        }
        return InetAddress.getByName(host);
    }

    private String unresolvable(String host) {
        return host + " does not resolve" + (options.rules().isEmpty() ? ""
                : " (no --resolve rule matches it: " + options.rules().rules() + ")")
                + "; the consumer's private DNS must map it to the endpoint";
    }

    private static String describe(IOException e, InetAddress address, int port) {
        String at = address.getHostAddress() + ":" + port;
        if (e instanceof ConnectException) {
            return "connection to " + at + " refused";
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer from " + at + " within the timeout";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to " + at;
        }
        if (e instanceof EOFException) {
            return at + ": " + e.getMessage();
        }
        return at + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static boolean sameBrokers(MetadataResponse a, MetadataResponse b) {
        return describe(a).equals(describe(b));
    }

    private static String describe(MetadataResponse m) {
        return m.data().brokers().stream().sorted(Comparator.comparingInt(MetadataResponseBroker::nodeId))
                .map(b -> b.nodeId() + "@" + b.host() + ":" + b.port()).collect(Collectors.joining(", ", "[", "]"));
    }
}
