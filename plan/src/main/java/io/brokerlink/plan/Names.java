package io.brokerlink.plan;

import io.brokerlink.core.GroupPlan;
import java.util.Locale;

/** Identifiers derived from listener-group names, shared by Terraform, outputs and docs so they agree. */
final class Names {

    private Names() {
    }

    /** {@code external2}: a Terraform identifier and output prefix. */
    static String id(GroupPlan g) {
        return g.name().toLowerCase(Locale.ROOT);
    }

    /** {@code external2}: for cloud resource names, which often refuse underscores. */
    static String slug(GroupPlan g) {
        return g.group().name().slug();
    }
}
