package io.brokerlink.doctor.check;

/** Outcome of one checked thing: OK, ERROR (a finding says why) or SKIPPED (an earlier step failed). */
public enum Status {
    OK, ERROR, SKIPPED
}
