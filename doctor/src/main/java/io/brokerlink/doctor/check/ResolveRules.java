package io.brokerlink.doctor.check;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The consumer's private DNS as {@code GLOB=ADDRESS} rules, first match wins: {@code *} matches any characters
 * (dots included), {@code ?} one. {@code *.usw2-az1.abc.us-west-2.aws.plc.example.com=10.0.1.100} sends every broker
 * name of that AZ to the AZ's endpoint address.
 */
public record ResolveRules(List<Rule> rules) {

    public record Rule(String glob, InetAddress address, Pattern regex) {

        /** Parses {@code GLOB=ADDRESS}; ADDRESS must be an IP literal (the endpoint's address). */
        public static Rule parse(String text) {
            int eq = text.lastIndexOf('=');
            if (eq <= 0 || eq == text.length() - 1) {
                throw new IllegalArgumentException("--resolve \"" + text + "\": expected GLOB=ADDRESS, e.g. "
                        + "'*.usw2-az1.abc.us-west-2.aws.plc.example.com=10.0.1.100'");
            }
            String glob = text.substring(0, eq).strip();
            String address = text.substring(eq + 1).strip();
            if (!isIpLiteral(address)) {
                throw new IllegalArgumentException("--resolve \"" + text + "\": ADDRESS \"" + address
                        + "\" is not an IP address; give the endpoint's IPv4 or IPv6 address");
            }
            try {
                return new Rule(glob, InetAddress.getByName(address), toRegex(glob));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--resolve \"" + text + "\": " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return glob + "=" + address.getHostAddress();
        }
    }

    public ResolveRules {
        rules = List.copyOf(rules);
    }

    public static ResolveRules parse(List<String> texts) {
        List<Rule> out = new ArrayList<>();
        for (String t : texts) {
            out.add(Rule.parse(t));
        }
        return new ResolveRules(out);
    }

    public static ResolveRules none() {
        return new ResolveRules(List.of());
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The address the first matching rule gives {@code host}, keeping the name (so TLS/SNI would still see it). */
    public Optional<InetAddress> lookup(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (Rule r : rules) {
            if (r.regex().matcher(h).matches()) {
                try {
                    return Optional.of(InetAddress.getByAddress(host, r.address().getAddress()));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e); // only thrown for a malformed address length
                }
            }
        }
        return Optional.empty();
    }

    /** IPv4 dotted quad or an IPv6 literal: resolving those never consults a name service. */
    public static boolean isIpLiteral(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (s.contains(":") && s.matches("[0-9A-Fa-f:.\\[\\]%a-z0-9]+"));
    }

    private static Pattern toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
