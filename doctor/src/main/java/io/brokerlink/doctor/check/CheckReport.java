package io.brokerlink.doctor.check;

import io.brokerlink.core.HostPort;
import io.brokerlink.doctor.Finding;
import io.brokerlink.doctor.Severity;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of {@code doctor check}, serialised as-is for {@code --json} (schema: docs/doctor-schema.json,
 * {@code command = "check"}). Steps appear in CLOUDS.md's order: bootstrap, brokers, data path.
 */
public record CheckReport(String command, boolean ok, List<BootstrapResult> bootstrap, List<BrokerResult> brokers,
                          DataPathResult dataPath, List<Finding> findings) {

    public CheckReport {
        bootstrap = List.copyOf(bootstrap);
        brokers = List.copyOf(brokers);
        findings = List.copyOf(findings);
    }

    /** One bootstrap address: did it answer, with how many brokers of which cluster. */
    public record BootstrapResult(String address, String resolvedTo, Status status, String error, String clusterId,
                                  Integer brokers) {
    }

    /** One API's version range as the broker at this address announced it. */
    public record ApiRange(String api, int key, int min, int max, Integer usable) {
    }

    /**
     * One broker of the metadata, checked at its advertised address. {@code reachedNode} is the node that answered
     * there (equal to {@code id} when all is well).
     */
    public record BrokerResult(int id, String host, int port, String rack, String resolvedTo, Status status,
                               String error, Integer reachedNode, List<ApiRange> apiVersions) {

        public BrokerResult {
            apiVersions = apiVersions == null ? List.of() : List.copyOf(apiVersions);
        }

        public String address() {
            return new HostPort(host, port).toString();
        }
    }

    public record PartitionResult(int partition, int leader, boolean produced, boolean consumed, String error) {
    }

    public record GroupResult(String groupId, Integer coordinator, Status status, String error) {
    }

    public record DataPathResult(String topic, Status status, String error, List<PartitionResult> partitions,
                                 GroupResult group, boolean deleted) {

        public DataPathResult {
            partitions = partitions == null ? List.of() : List.copyOf(partitions);
        }
    }

    public String toHuman(boolean withApiVersions) {
        StringBuilder out = new StringBuilder();
        for (BootstrapResult b : bootstrap) {
            out.append("bootstrap ").append(b.address())
                    .append(b.resolvedTo() == null ? "" : " (" + b.resolvedTo() + ")").append(" -> ")
                    .append(b.status() == Status.OK ? "OK: " + b.brokers() + " brokers, cluster " + b.clusterId()
                            : "ERROR: " + b.error())
                    .append('\n');
        }
        for (BrokerResult b : brokers) {
            out.append(b.address()).append(" (id: ").append(b.id()).append(" rack: ").append(b.rack()).append(") -> ");
            if (b.status() == Status.OK) {
                out.append(withApiVersions && !b.apiVersions().isEmpty() ? "(\n" + apiLines(b) + ")" : "OK");
            } else {
                out.append(b.status()).append(b.error() == null ? "" : ": " + b.error());
            }
            out.append('\n');
        }
        if (dataPath != null) {
            out.append("data path: probe topic ").append(dataPath.topic()).append(" -> ").append(dataPath.status())
                    .append(dataPath.error() == null ? "" : ": " + dataPath.error()).append('\n');
            for (PartitionResult p : dataPath.partitions()) {
                out.append("  partition ").append(p.partition()).append(" (leader ").append(p.leader()).append(") -> ")
                        .append(p.error() == null ? "produced and consumed" : "ERROR: " + p.error()).append('\n');
            }
            GroupResult g = dataPath.group();
            if (g != null) {
                out.append("  consumer group ").append(g.groupId()).append(" (coordinator ")
                        .append(g.coordinator() == null ? "unknown" : g.coordinator()).append(") -> ")
                        .append(g.status()).append(g.error() == null ? "" : ": " + g.error()).append('\n');
            }
            if (dataPath.topic() != null) {
                // A data-path error of its own (no partitions) means createTopics failed: nothing exists to keep.
                String fate = dataPath.error() != null && dataPath.partitions().isEmpty() ? "not created"
                        : dataPath.deleted() ? "deleted" : "kept";
                out.append("  probe topic ").append(fate).append('\n');
            }
        }
        for (Finding f : findings) {
            out.append(f.toHumanLine()).append('\n');
        }
        long errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
        out.append(ok ? "RESULT: OK" : "RESULT: " + errors + (errors == 1 ? " error" : " errors")).append('\n');
        return out.toString();
    }

    private static String apiLines(BrokerResult b) {
        return b.apiVersions().stream().map(r -> "\t" + r.api() + "(" + r.key() + "): " + r.min() + " to " + r.max()
                + (r.usable() == null ? " [unusable]" : " [usable: " + r.usable() + "]"))
                .collect(Collectors.joining(",\n")) + "\n";
    }

    public String codes() {
        return findings.stream().map(f -> f.code().name()).collect(Collectors.joining(","));
    }
}
