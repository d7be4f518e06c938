package io.brokerlink.gateway.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Recorded client-to-broker traffic, one list of request frames per connection, with each frame's length fields.
 * Built per test run from real clients, so it always speaks today's kafka-clients versions.
 */
final class Corpus {

    /** A recorded request and where its length prefixes are. */
    record Recorded(RequestFrame frame, List<LengthFields.LengthField> lengths) {
        Recorded {
            lengths = List.copyOf(lengths);
        }
    }

    /**
     * One recorded connection: its opening exchange (ApiVersions and the SASL frames a client sends before any other
     * request) and the requests after it.
     */
    record Connection(List<Recorded> opening, List<Recorded> requests) {
        Connection {
            opening = List.copyOf(opening);
            requests = List.copyOf(requests);
        }

        List<Recorded> all() {
            List<Recorded> out = new ArrayList<>(opening);
            out.addAll(requests);
            return out;
        }
    }

    private final List<Connection> connections;
    private final List<Recorded> requests;

    Corpus(List<List<RequestFrame>> recordedConnections) {
        List<Connection> conns = new ArrayList<>();
        List<Recorded> all = new ArrayList<>();
        for (List<RequestFrame> frames : recordedConnections) {
            List<Recorded> opening = new ArrayList<>();
            List<Recorded> rest = new ArrayList<>();
            for (RequestFrame f : frames) {
                Recorded r = new Recorded(f, LengthFields.of(f));
                if (rest.isEmpty() && isOpening(f.apiKey())) {
                    opening.add(r);
                } else {
                    rest.add(r);
                    all.add(r);
                }
            }
            if (!rest.isEmpty()) {
                conns.add(new Connection(opening, rest));
            }
        }
        if (conns.isEmpty()) {
            throw new IllegalArgumentException("the recording holds no request after a connection's opening exchange");
        }
        this.connections = List.copyOf(conns);
        this.requests = List.copyOf(all);
    }

    private static boolean isOpening(short apiKey) {
        return apiKey == ApiKeys.API_VERSIONS.id || apiKey == ApiKeys.SASL_HANDSHAKE.id
                || apiKey == ApiKeys.SASL_AUTHENTICATE.id;
    }

    List<Connection> connections() {
        return connections;
    }

    /** Every request after the opening exchanges. */
    List<Recorded> requests() {
        return requests;
    }

    /** Requests per api, for the test's log: {@code {Fetch v17=40, Metadata v13=12, ...}}. */
    Map<String, Integer> census() {
        Map<String, Integer> out = new TreeMap<>();
        for (Connection c : connections) {
            for (Recorded r : c.all()) {
                out.merge(r.frame().apiName(), 1, Integer::sum);
            }
        }
        return out;
    }
}
