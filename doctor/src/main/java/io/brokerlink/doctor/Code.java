package io.brokerlink.doctor;

/**
 * Stable finding codes. BL1xx are static ({@code lint}), BL2xx live ({@code check}). A code never changes meaning;
 * retired codes are not reused. The table in docs/ARCHITECTURE.md lists them.
 */
public enum Code {
    // listeners
    BL101("listener missing from listeners"),
    BL102("listener missing from advertised.listeners"),
    BL103("listener missing from listener.security.protocol.map"),
    BL104("inter.broker.listener.name wrong or missing"),
    BL105("controller.listener.names wrong or missing"),
    BL106("required property missing or malformed"),
    BL107("listener group missing on this broker"),
    // advertised names
    BL110("advertised address does not follow the pattern"),
    BL111("<broker_id> label does not match node.id"),
    BL112("AZ label does not match the broker's zone"),
    BL113("AZ label present on some brokers only"),
    BL120("placeholder left unreplaced"),
    // across files
    BL130("two brokers on one advertised port"),
    BL131("listener groups' port ranges overlap"),
    BL132("advertised port range contains a bootstrap port"),
    BL133("advertised port differs from the spec's port plan"),
    BL140("controller.quorum.voters differs between brokers"),
    BL141("controller.quorum.voters does not name every controller"),
    BL150("node.id used by more than one file"),
    BL151("node of the spec has no config among the files"),
    BL152("node.id that the spec does not list"),
    // live checks
    BL201("bootstrap address unreachable"),
    BL202("bootstrap address returned an unexpected broker list"),
    BL210("advertised address does not follow the pattern"),
    BL211("advertised address does not resolve"),
    BL212("advertised address unreachable"),
    BL213("advertised address reached another node"),
    BL214("advertised port shared by several brokers"),
    BL215("broker of the spec missing from the metadata"),
    BL216("broker in the metadata that the spec does not list"),
    BL217("advertised address differs from the spec's plan"),
    BL220("probe topic could not be created"),
    BL221("produce to a partition failed"),
    BL222("records not consumed back"),
    BL223("consumer group coordinator unreachable"),
    BL224("probe topic could not be deleted");

    private final String title;

    Code(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
