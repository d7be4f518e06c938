package io.brokerlink.core;

import java.util.Locale;

/** KRaft process roles, in the order {@code process.roles} lists them. */
public enum Role {
    BROKER, CONTROLLER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromId(String value, String field) {
        for (Role role : values()) {
            if (role.id().equals(value)) {
                return role;
            }
        }
        throw new SpecException(field, "\"" + value + "\" is not a role (broker, controller)");
    }
}
