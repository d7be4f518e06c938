package io.brokerlink.gateway.config;

import java.util.List;
import java.util.Objects;

/** A YAML sequence. */
public record ConfigList(String path, ConfigLocation location, List<ConfigNode> items) implements ConfigNode {

    public ConfigList {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(location, "location");
        items = List.copyOf(items);
    }

    @Override
    public String kind() {
        return "a list";
    }

    /** Every item as a map; an item of another kind is an error naming it. */
    public List<ConfigMap> maps() {
        return items.stream().map(item -> {
            if (item instanceof ConfigMap map) {
                return map;
            }
            throw item.error("is " + item.kind() + "; expected a map of keys");
        }).toList();
    }
}
