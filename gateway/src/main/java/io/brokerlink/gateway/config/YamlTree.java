package io.brokerlink.gateway.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses YAML into {@link ConfigNode}s that keep their line and column. Jackson's tree model drops locations, so
 * this walks the streaming parser instead. Duplicate keys are errors (YAML would silently keep the last one).
 */
public final class YamlTree {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final String source;

    private YamlTree(String source) {
        this.source = source;
    }

    /** The root of a file; {@code source} (the file name) prefixes every location. */
    public static ConfigNode parse(Path file) {
        String source = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try (Reader reader = Files.newBufferedReader(file)) {
            return new YamlTree(source).parse(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file; give the path of a gateway YAML file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** The root of a YAML text (tests, or a config built in memory); {@code source} names it in errors. */
    public static ConfigNode parse(String source, String yaml) {
        try {
            return new YamlTree(source).parse(new StringReader(yaml));
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private ConfigNode parse(Reader reader) throws IOException {
        try (JsonParser parser = FACTORY.createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new ConfigException(source + ": the file is empty; expected a map with a mode key");
            }
            return read(parser, "");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String detail = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
            throw new ConfigException(location(at) + " invalid YAML: " + detail, e);
        }
    }

    private ConfigNode read(JsonParser parser, String path) throws IOException {
        ConfigLocation at = location(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, ConfigNode> entries = new LinkedHashMap<>();
                Map<String, ConfigLocation> keys = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    ConfigLocation keyAt = location(parser.currentTokenLocation());
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    if (entries.containsKey(key)) {
                        throw new ConfigException(keyAt + " " + childPath + ": duplicate key (first at line "
                                + keys.get(key).line() + "); give each key once");
                    }
                    parser.nextToken();
                    keys.put(key, keyAt);
                    entries.put(key, read(parser, childPath));
                }
                return new ConfigMap(path, at, entries, keys);
            }
            case START_ARRAY: {
                List<ConfigNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser, path + "[" + items.size() + "]"));
                }
                return new ConfigList(path, at, items);
            }
            case VALUE_STRING:
                return new ConfigScalar(path, at, ConfigScalar.Type.STRING, parser.getText());
            case VALUE_NUMBER_INT:
                return new ConfigScalar(path, at, ConfigScalar.Type.INTEGER, parser.getText());
            case VALUE_NUMBER_FLOAT:
                return new ConfigScalar(path, at, ConfigScalar.Type.DECIMAL, parser.getText());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new ConfigScalar(path, at, ConfigScalar.Type.BOOLEAN, parser.getText());
            case VALUE_NULL:
                return new ConfigScalar(path, at, ConfigScalar.Type.NULL, "null");
            default:
                throw new ConfigException(at + " " + path + ": unsupported YAML value (" + token + ")");
        }
    }

    private ConfigLocation location(JsonLocation at) {
        return at == null ? new ConfigLocation(source, 0, 0) : new ConfigLocation(source, at.getLineNr(), at.getColumnNr());
    }
}
