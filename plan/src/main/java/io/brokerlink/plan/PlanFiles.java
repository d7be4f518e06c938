package io.brokerlink.plan;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/** The rendered plan: relative path to file content, sorted so that output and listings are deterministic. */
public record PlanFiles(SortedMap<String, String> files) {

    public PlanFiles {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    public String get(String path) {
        String content = files.get(path);
        if (content == null) {
            throw new IllegalArgumentException("the plan has no file " + path + "; it has " + files.keySet());
        }
        return content;
    }
}
