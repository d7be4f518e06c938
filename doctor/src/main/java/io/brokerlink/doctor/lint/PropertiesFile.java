package io.brokerlink.doctor.lint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code server.properties} file read the way {@link java.util.Properties} reads it (comments, {@code =}, {@code :}
 * or blank separators, backslash continuations and escapes) but keeping the line each entry starts on, so that a
 * finding can point at it. Like Properties, the last of several equal keys wins; the earlier ones are kept in
 * {@link #duplicates()}.
 */
public final class PropertiesFile {

    /**
     * One logical entry: key, unescaped value, the physical line the key is on, and the raw text of each physical
     * line of a continued value (so a finding about one item of a long list can name the item's own line).
     */
    public record Entry(String key, String value, int line, List<String> physicalLines) {

        public Entry {
            physicalLines = List.copyOf(physicalLines);
        }

        /** The physical line on which {@code fragment} appears, or the key's line. */
        public int lineOf(String fragment) {
            for (int j = 0; j < physicalLines.size(); j++) {
                if (physicalLines.get(j).contains(fragment)) {
                    return line + j;
                }
            }
            return line;
        }
    }

    private final String name;
    private final Map<String, Entry> entries;
    private final List<Entry> duplicates;

    private PropertiesFile(String name, Map<String, Entry> entries, List<Entry> duplicates) {
        this.name = name;
        this.entries = Collections.unmodifiableMap(entries);
        this.duplicates = List.copyOf(duplicates);
    }

    public static PropertiesFile read(Path file) throws IOException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.ISO_8859_1));
    }

    public static PropertiesFile parse(String name, String text) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<Entry> duplicates = new ArrayList<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        int i = 0;
        while (i < lines.length) {
            int startLine = i + 1;
            String line = stripLeading(lines[i]);
            i++;
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '!') {
                continue;
            }
            StringBuilder logical = new StringBuilder();
            List<String> physical = new ArrayList<>();
            while (endsWithContinuation(line) && i < lines.length) {
                physical.add(line);
                logical.append(line, 0, line.length() - 1);
                line = stripLeading(lines[i]);
                i++;
            }
            physical.add(line);
            logical.append(endsWithContinuation(line) ? line.substring(0, line.length() - 1) : line);
            Entry entry = split(logical.toString(), startLine, physical);
            Entry previous = entries.put(entry.key(), entry);
            if (previous != null) {
                duplicates.add(previous);
            }
        }
        return new PropertiesFile(name, entries, duplicates);
    }

    public String name() {
        return name;
    }

    public Optional<Entry> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    /** Entries overridden by a later line with the same key (Kafka only sees the last one). */
    public List<Entry> duplicates() {
        return duplicates;
    }

    private static Entry split(String logical, int line, List<String> physical) {
        int keyEnd = 0;
        boolean escaped = false;
        while (keyEnd < logical.length()) {
            char c = logical.charAt(keyEnd);
            if (!escaped && (c == '=' || c == ':' || Character.isWhitespace(c))) {
                break;
            }
            escaped = !escaped && c == '\\';
            keyEnd++;
        }
        String key = unescape(logical.substring(0, keyEnd));
        int valueStart = keyEnd;
        while (valueStart < logical.length() && Character.isWhitespace(logical.charAt(valueStart))) {
            valueStart++;
        }
        if (valueStart < logical.length() && (logical.charAt(valueStart) == '=' || logical.charAt(valueStart) == ':')) {
            valueStart++;
            while (valueStart < logical.length() && Character.isWhitespace(logical.charAt(valueStart))) {
                valueStart++;
            }
        }
        return new Entry(key, unescape(logical.substring(valueStart)), line, physical);
    }

    private static boolean endsWithContinuation(String line) {
        int backslashes = 0;
        for (int j = line.length() - 1; j >= 0 && line.charAt(j) == '\\'; j--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static String stripLeading(String s) {
        int j = 0;
        while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t' || s.charAt(j) == '\f')) {
            j++;
        }
        return s.substring(j);
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s.strip();
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int j = 0; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c != '\\' || j + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(++j);
            switch (n) {
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (j + 4 < s.length()) {
                        out.append((char) Integer.parseInt(s.substring(j + 1, j + 5), 16));
                        j += 4;
                    }
                }
                default -> out.append(n);
            }
        }
        return out.toString().strip();
    }
}
