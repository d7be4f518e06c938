package io.brokerlink.plan.terraform;

import java.util.ArrayList;
import java.util.List;

/**
 * A small HCL writer: blocks, attributes aligned the way {@code terraform fmt} aligns them, and quoting. Values
 * are expressions; {@link #str} makes a string literal.
 */
final class Hcl {

    private final StringBuilder out = new StringBuilder();
    private final List<String[]> pending = new ArrayList<>();
    private int depth;

    static String str(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("${", "$${") + "\"";
    }

    static String list(List<String> expressions) {
        return "[" + String.join(", ", expressions) + "]";
    }

    Hcl comment(String text) {
        flush();
        indent().append("# ").append(text).append('\n');
        return this;
    }

    Hcl open(String header) {
        flush();
        indent().append(header).append(" {\n");
        depth++;
        return this;
    }

    Hcl attr(String name, Object expression) {
        pending.add(new String[] {name, String.valueOf(expression)});
        return this;
    }

    Hcl attrs(java.util.Map<String, Object> attributes) {
        attributes.forEach(this::attr);
        return this;
    }

    Hcl close() {
        flush();
        depth--;
        indent().append("}\n");
        if (depth == 0) {
            out.append('\n');
        }
        return this;
    }

    private void flush() {
        int width = pending.stream().mapToInt(a -> a[0].length()).max().orElse(0);
        for (String[] a : pending) {
            indent().append(a[0]).append(" ".repeat(width - a[0].length())).append(" = ").append(a[1]).append('\n');
        }
        pending.clear();
    }

    private StringBuilder indent() {
        return out.append("  ".repeat(depth));
    }

    @Override
    public String toString() {
        flush();
        String s = out.toString();
        return s.endsWith("\n\n") ? s.substring(0, s.length() - 1) : s;
    }
}
