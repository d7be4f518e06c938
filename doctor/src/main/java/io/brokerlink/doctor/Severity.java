package io.brokerlink.doctor;

/** How bad a finding is: an ERROR breaks the consumer's path, a WARNING is likely to, INFO only explains. */
public enum Severity {
    ERROR, WARNING, INFO;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
