package io.brokerlink.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A running broker's {@code server.properties} as given with {@code --current NODE=FILE}: kept line for line so that
 * the merged file differs from it only in the keys the plan changes (comments and order survive).
 */
public final class CurrentConfig {

    private final String source;
    private final List<String> lines;
    private final Map<String, Integer> lineOfKey = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();

    private CurrentConfig(String source, List<String> lines) {
        this.source = source;
        this.lines = lines;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int eq = line.indexOf('=');
            int colon = line.indexOf(':');
            int cut = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
            if (cut <= 0) {
                continue;
            }
            String key = line.substring(0, cut).strip();
            values.put(key, line.substring(cut + 1).strip());
            lineOfKey.put(key, i);
        }
    }

    public static CurrentConfig parse(String source, String text) {
        return new CurrentConfig(source, new ArrayList<>(text.lines().toList()));
    }

    public String source() {
        return source;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** 1-based line of a key, for messages. */
    public int lineOf(String key) {
        Integer i = lineOfKey.get(key);
        return i == null ? 1 : i + 1;
    }

    /** The file with {@code changes} applied: changed keys in place, new keys appended, everything else untouched. */
    String merged(Map<String, String> changes, String appendedComment) {
        List<String> out = new ArrayList<>(lines);
        List<String> appended = new ArrayList<>();
        for (Map.Entry<String, String> e : changes.entrySet()) {
            Integer at = lineOfKey.get(e.getKey());
            if (at != null) {
                out.set(at, e.getKey() + "=" + e.getValue());
            } else {
                appended.add(e.getKey() + "=" + e.getValue());
            }
        }
        if (!appended.isEmpty()) {
            out.add(appendedComment);
            out.addAll(appended);
        }
        return String.join("\n", out) + "\n";
    }
}
