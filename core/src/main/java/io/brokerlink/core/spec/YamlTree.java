package io.brokerlink.core.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.brokerlink.core.SpecException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Parses YAML with Jackson's streaming parser into {@link YamlNode}s that remember their lines. */
final class YamlTree {

    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private YamlTree() {
    }

    /** Syntax errors become a {@link LocatedSpecError} at the parser's line. */
    static YamlNode parse(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new LocatedSpecError(1, new SpecException("", "the spec is empty"));
            }
            YamlNode root = read(parser);
            if (parser.nextToken() != null) {
                throw new LocatedSpecError(parser.currentTokenLocation().getLineNr(),
                        new SpecException("", "more than one YAML document; give exactly one"));
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
            // SnakeYAML explains over several lines with code excerpts; keep the explaining lines, on one line.
            String message = String.join("; ", e.getOriginalMessage().lines()
                    .filter(l -> !l.isBlank() && !l.startsWith(" ") && !l.contains("in 'reader'")
                            && !l.contains("[Source:"))
                    .map(String::strip).toList());
            throw new LocatedSpecError(line, new SpecException("", "not valid YAML: " + message));
        } catch (IOException e) {
            throw new LocatedSpecError(1, new SpecException("", "cannot be read: " + e.getMessage()));
        }
    }

    private static YamlNode read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        int line = parser.currentTokenLocation().getLineNr();
        switch (token) {
            case START_OBJECT -> {
                LinkedHashMap<String, YamlNode> entries = new LinkedHashMap<>();
                LinkedHashMap<String, Integer> keyLines = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    parser.nextToken();
                    YamlNode value = read(parser);
                    if (entries.containsKey(key)) {
                        throw new LocatedSpecError(keyLine, new SpecException(key,
                                "given twice (also on line " + keyLines.get(key) + "); give each key once"));
                    }
                    entries.put(key, value);
                    keyLines.put(key, keyLine);
                }
                return new YamlNode.Mapping(entries, keyLines, line);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser));
                }
                return new YamlNode.Sequence(items, line);
            }
            case VALUE_STRING -> {
                return new YamlNode.Scalar(parser.getText(), YamlNode.Scalar.Type.STRING, line);
            }
            case VALUE_NUMBER_INT -> {
                return new YamlNode.Scalar(parser.getText(), YamlNode.Scalar.Type.INTEGER, line);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new YamlNode.Scalar(parser.getText(), YamlNode.Scalar.Type.DECIMAL, line);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new YamlNode.Scalar(parser.getText(), YamlNode.Scalar.Type.BOOLEAN, line);
            }
            case VALUE_NULL -> {
                return new YamlNode.Scalar("", YamlNode.Scalar.Type.NULL, line);
            }
            default -> throw new LocatedSpecError(line, new SpecException("", "unsupported YAML content " + token));
        }
    }
}
