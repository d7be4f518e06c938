package io.brokerlink.doctor.lint;

import io.brokerlink.core.AdvertisedPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host part of an advertised pattern ({@code <broker_id>.<az_id>.abc.example.com}), given or inferred, and the
 * comparison of one broker's advertised host against it. Separate from {@link AdvertisedPattern} because an inferred
 * shape may lack {@code <broker_id>} (then every broker's deviation is reported against it).
 */
public record HostPattern(String text) {

    private static final Pattern BROKER_LABEL = Pattern.compile("b\\d+", Pattern.CASE_INSENSITIVE);
    /** AWS AZ id (usw2-az1), AWS/Alibaba AZ name (us-west-2a, ap-southeast-1a, cn-hangzhou-h), Google zone (us-west1-a). */
    private static final Pattern AZ_ID = Pattern.compile("[a-z]{2,5}\\d+-az\\d+", Pattern.CASE_INSENSITIVE);
    private static final Pattern AZ_NAME = Pattern.compile(
            "[a-z]{2}-[a-z]+-?\\d+-?[a-z]|[a-z]{2}-[a-z]+-[a-z]", Pattern.CASE_INSENSITIVE);

    public HostPattern {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("pattern: empty; give HOST:<port> such as "
                    + AdvertisedPattern.REFERENCE.text());
        }
    }

    /** From a full pattern ({@code HOST:<port>}); validated by {@link AdvertisedPattern}. */
    public static HostPattern of(AdvertisedPattern pattern) {
        String t = pattern.text();
        return new HostPattern(t.substring(0, t.length() - AdvertisedPattern.PORT.length() - 1));
    }

    public boolean hasZone() {
        return text.contains(AdvertisedPattern.AZ_ID);
    }

    /**
     * The shape of one advertised host: {@code b<N>} first label becomes {@code <broker_id>}, a second label that is
     * the broker's rack or looks like an AZ becomes {@code <az_id>}.
     */
    public static HostPattern shapeOf(String host, String rack) {
        String[] labels = host.split("\\.", -1);
        if (labels.length > 0 && BROKER_LABEL.matcher(labels[0]).matches()) {
            labels[0] = AdvertisedPattern.BROKER_ID;
        }
        if (labels.length > 2 && (labels[1].equalsIgnoreCase(rack == null ? "" : rack) || looksLikeZone(labels[1]))) {
            labels[1] = AdvertisedPattern.AZ_ID;
        }
        return new HostPattern(String.join(".", labels).toLowerCase(Locale.ROOT));
    }

    public static boolean looksLikeZone(String label) {
        return AZ_ID.matcher(label).matches() || AZ_NAME.matcher(label).matches();
    }

    public static boolean looksLikeZoneName(String label) {
        return AZ_NAME.matcher(label).matches() && !AZ_ID.matcher(label).matches();
    }

    /** What this broker should advertise; an unknown zone stays {@code <az_id>}. */
    public String expectedHost(Integer nodeId, String zone) {
        return text.replace(AdvertisedPattern.BROKER_ID, nodeId == null ? "b<node.id>" : "b" + nodeId)
                .replace(AdvertisedPattern.AZ_ID, zone == null ? AdvertisedPattern.AZ_ID : zone);
    }

    /** How one advertised host deviates from the pattern. */
    public sealed interface Deviation {
        record WrongBrokerLabel(String actual) implements Deviation { }
        record WrongZone(String actual) implements Deviation { }
        record ZoneLabelMissing() implements Deviation { }
        record ZoneLabelExtra(String label) implements Deviation { }
        record OtherShape() implements Deviation { }
    }

    /** Every deviation of {@code host} (empty: it follows the pattern). {@code zone} null: the AZ is not checked. */
    public List<Deviation> compare(String host, Integer nodeId, String zone) {
        List<Deviation> out = new ArrayList<>();
        Optional<Matcher> m = match(text, host);
        if (m.isEmpty() && hasZone()) {
            m = match(text.replace(AdvertisedPattern.AZ_ID + ".", ""), host);
            if (m.isPresent()) {
                out.add(new Deviation.ZoneLabelMissing());
            }
        } else if (m.isEmpty() && text.startsWith(AdvertisedPattern.BROKER_ID + ".")) {
            m = match(AdvertisedPattern.BROKER_ID + "." + AdvertisedPattern.AZ_ID
                    + text.substring(AdvertisedPattern.BROKER_ID.length()), host);
            if (m.isPresent()) {
                out.add(new Deviation.ZoneLabelExtra(m.get().group("az")));
                m = Optional.empty(); // the extra label is the finding; its value is not compared
                if (!brokerLabelOk(host.split("\\.")[0], nodeId)) {
                    out.add(new Deviation.WrongBrokerLabel(host.split("\\.")[0]));
                }
                return out;
            }
        }
        if (m.isEmpty()) {
            out.add(new Deviation.OtherShape());
            return out;
        }
        Matcher match = m.get();
        if (text.contains(AdvertisedPattern.BROKER_ID) && !brokerLabelOk(match.group("broker"), nodeId)) {
            out.add(new Deviation.WrongBrokerLabel(match.group("broker")));
        }
        if (zone != null && hasGroup(match, "az") && !match.group("az").equalsIgnoreCase(zone)) {
            out.add(new Deviation.WrongZone(match.group("az")));
        }
        return out;
    }

    private static boolean brokerLabelOk(String label, Integer nodeId) {
        return nodeId == null || label.equalsIgnoreCase("b" + nodeId);
    }

    private static boolean hasGroup(Matcher m, String name) {
        try {
            return m.group(name) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<Matcher> match(String patternText, String host) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < patternText.length()) {
            if (patternText.startsWith(AdvertisedPattern.BROKER_ID, i)) {
                regex.append("(?<broker>[^.]+)");
                i += AdvertisedPattern.BROKER_ID.length();
            } else if (patternText.startsWith(AdvertisedPattern.AZ_ID, i)) {
                regex.append("(?<az>[^.]+)");
                i += AdvertisedPattern.AZ_ID.length();
            } else {
                int next = nextPlaceholder(patternText, i);
                regex.append(Pattern.quote(patternText.substring(i, next)));
                i = next;
            }
        }
        Matcher m = Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE).matcher(host);
        return m.matches() ? Optional.of(m) : Optional.empty();
    }

    private static int nextPlaceholder(String s, int from) {
        int a = s.indexOf(AdvertisedPattern.BROKER_ID, from);
        int b = s.indexOf(AdvertisedPattern.AZ_ID, from);
        int n = s.length();
        if (a >= 0) {
            n = Math.min(n, a);
        }
        if (b >= 0) {
            n = Math.min(n, b);
        }
        return n;
    }
}
