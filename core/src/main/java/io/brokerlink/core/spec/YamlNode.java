package io.brokerlink.core.spec;

import java.util.LinkedHashMap;
import java.util.List;

/** A YAML value with the line it starts on, so that every later error can point at the spec's line. */
sealed interface YamlNode {

    int line();

    /** What a user calls this kind of value in an error message. */
    String kind();

    record Mapping(LinkedHashMap<String, YamlNode> entries, LinkedHashMap<String, Integer> keyLines, int line)
            implements YamlNode {
        @Override
        public String kind() {
            return "a mapping";
        }
    }

    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** {@code quoted} tells a string from a number or boolean YAML typed on its own. */
    record Scalar(String text, Type type, int line) implements YamlNode {
        enum Type { STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

        @Override
        public String kind() {
            return switch (type) {
                case STRING -> "the text \"" + text + "\"";
                case INTEGER -> "the number " + text;
                case DECIMAL -> "the number " + text;
                case BOOLEAN -> "the boolean " + text;
                case NULL -> "an empty value";
            };
        }
    }
}
