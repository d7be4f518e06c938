package io.brokerlink.core;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The advertised patterns of one listener group, exactly as the consumer side hands them out: either one pattern
 * for all brokers (optionally with {@code <az_id>} inside) or, as on the AWS console, one pattern per AZ.
 */
public sealed interface PatternSet {

    /** The pattern a broker in {@code zone} advertises; the model guarantees it exists for every broker's zone. */
    AdvertisedPattern forZone(String zone);

    List<AdvertisedPattern> all();

    PatternSet withUniqueName(UniqueName uniqueName);

    default boolean hasUniqueName() {
        return all().stream().anyMatch(AdvertisedPattern::hasUniqueName);
    }

    record Shared(AdvertisedPattern pattern) implements PatternSet {
        @Override
        public AdvertisedPattern forZone(String zone) {
            return pattern;
        }

        @Override
        public List<AdvertisedPattern> all() {
            return List.of(pattern);
        }

        @Override
        public PatternSet withUniqueName(UniqueName uniqueName) {
            return new Shared(pattern.withUniqueName(uniqueName));
        }
    }

    record PerZone(SortedMap<String, AdvertisedPattern> byZone) implements PatternSet {
        public PerZone {
            SpecException.require(byZone != null && !byZone.isEmpty(), "", "no pattern given; give one per zone");
            byZone = Collections.unmodifiableSortedMap(new TreeMap<>(byZone));
        }

        @Override
        public AdvertisedPattern forZone(String zone) {
            AdvertisedPattern pattern = byZone.get(zone);
            if (pattern == null) {
                throw new IllegalStateException("no pattern for zone " + zone);
            }
            return pattern;
        }

        @Override
        public List<AdvertisedPattern> all() {
            return List.copyOf(byZone.values());
        }

        @Override
        public PatternSet withUniqueName(UniqueName uniqueName) {
            SortedMap<String, AdvertisedPattern> replaced = new TreeMap<>();
            for (Map.Entry<String, AdvertisedPattern> e : byZone.entrySet()) {
                replaced.put(e.getKey(), e.getValue().withUniqueName(uniqueName));
            }
            return new PerZone(replaced);
        }
    }
}
