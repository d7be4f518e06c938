package io.brokerlink.plan;

import io.brokerlink.core.BrokerEndpoint;
import io.brokerlink.core.Cloud;
import io.brokerlink.core.Deployment;
import io.brokerlink.core.GroupPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The topology, one picture per listener group: consumer, endpoint, each load-balancer port, each broker in its AZ,
 * and the bootstrap fan-out. Mermaid for PLAN.md, and a hand-laid SVG with the same content.
 */
final class TopologyRenderer {

    private static final int COLUMN_CONSUMER = 20;
    private static final int COLUMN_ENDPOINT = 220;
    private static final int COLUMN_PORTS = 440;
    private static final int COLUMN_ZONES = 660;
    private static final int BOX_W = 170;
    private static final int ZONE_W = 330;
    private static final int ROW = 46;
    private static final int BOX_H = 34;

    private TopologyRenderer() {
    }

    static String endpointLabel(Cloud cloud) {
        return switch (cloud) {
            case AWS -> "VPC endpoint service";
            case GCP -> "PSC service attachment";
            case ALICLOUD -> "PrivateLink endpoint service";
            case GENERIC -> "BrokerLink gateway";
        };
    }

    static String mermaid(Deployment d, GroupPlan g) {
        StringBuilder out = new StringBuilder("```mermaid\nflowchart LR\n");
        out.append("  consumer([\"consumer").append(g.group().consumer().map(c -> "<br/>" + c).orElse(""))
                .append("\"])\n");
        out.append("  endpoint[\"").append(endpointLabel(d.cloud())).append("<br/>").append(g.name()).append("\"]\n");
        out.append("  consumer --> endpoint\n");
        if (g.bootstrapPort().isPresent()) {
            out.append("  p").append(g.bootstrapPort().getAsInt()).append("[\":").append(g.bootstrapPort().getAsInt())
                    .append(" bootstrap\"]\n");
            out.append("  endpoint --> p").append(g.bootstrapPort().getAsInt()).append('\n');
        }
        for (BrokerEndpoint e : g.endpoints()) {
            out.append("  p").append(e.advertisedPort()).append("[\":").append(e.advertisedPort()).append("\"]\n");
            out.append("  endpoint --> p").append(e.advertisedPort()).append('\n');
        }
        for (Map.Entry<String, List<BrokerEndpoint>> zone : byZone(g).entrySet()) {
            out.append("  subgraph ").append(zone.getKey().replace('-', '_')).append("[\"").append(zone.getKey())
                    .append("\"]\n");
            for (BrokerEndpoint e : zone.getValue()) {
                out.append("    b").append(e.broker().nodeId()).append("[\"").append(e.broker().label()).append(' ')
                        .append(e.target()).append("<br/>").append(e.advertised()).append("\"]\n");
            }
            out.append("  end\n");
        }
        for (BrokerEndpoint e : g.endpoints()) {
            out.append("  p").append(e.advertisedPort()).append(" --> b").append(e.broker().nodeId()).append('\n');
        }
        if (g.bootstrapPort().isPresent()) {
            for (BrokerEndpoint e : g.endpoints()) {
                out.append("  p").append(g.bootstrapPort().getAsInt()).append(" -.-> b").append(e.broker().nodeId())
                        .append('\n');
            }
        }
        out.append("```\n");
        return out.toString();
    }

    static String svg(Deployment d) {
        StringBuilder body = new StringBuilder();
        int top = 10;
        for (GroupPlan g : d.portPlan().groups()) {
            top = panel(body, d, g, top) + 30;
        }
        int width = COLUMN_ZONES + ZONE_W + 20;
        StringBuilder out = new StringBuilder();
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(top).append("\" viewBox=\"0 0 ").append(width).append(' ').append(top)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        out.append("  <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\""
                + " markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker></defs>\n");
        out.append("  <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        out.append(body);
        out.append("</svg>\n");
        return out.toString();
    }

    /** Draws one group from {@code top}; returns the y below it. */
    private static int panel(StringBuilder out, Deployment d, GroupPlan g, int top) {
        List<Integer> ports = new ArrayList<>();
        g.bootstrapPort().ifPresent(ports::add);
        g.endpoints().forEach(e -> ports.add(e.advertisedPort()));
        Map<String, List<BrokerEndpoint>> zones = byZone(g);
        int brokerRows = g.endpoints().size() + zones.size();
        int rows = Math.max(ports.size(), brokerRows);
        int height = 40 + rows * ROW + 10;
        out.append("  <g id=\"group-").append(Names.slug(g)).append("\">\n");
        out.append("    <rect x=\"5\" y=\"").append(top).append("\" width=\"").append(COLUMN_ZONES + ZONE_W + 10)
                .append("\" height=\"").append(height).append("\" fill=\"none\" stroke=\"#999\" rx=\"8\"/>\n");
        text(out, 15, top + 22, "listener group " + g.name() + " (bind port " + g.group().bindPort() + ")", true);
        int first = top + 40;
        int middle = first + (rows * ROW) / 2 - BOX_H / 2;
        box(out, COLUMN_CONSUMER, middle, BOX_W, "consumer", g.group().consumer().orElse(""), "#e8f0fe");
        box(out, COLUMN_ENDPOINT, middle, BOX_W, endpointLabel(d.cloud()), g.name(), "#fef7e0");
        arrow(out, COLUMN_CONSUMER + BOX_W, middle + BOX_H / 2, COLUMN_ENDPOINT, middle + BOX_H / 2, false);
        Map<Integer, Integer> portY = new LinkedHashMap<>();
        for (int i = 0; i < ports.size(); i++) {
            int y = first + i * ROW;
            int port = ports.get(i);
            boolean bootstrap = g.bootstrapPort().isPresent() && i == 0;
            box(out, COLUMN_PORTS, y, BOX_W, "LB :" + port, bootstrap ? "bootstrap" : "", bootstrap ? "#fce8e6" : "#e6f4ea");
            arrow(out, COLUMN_ENDPOINT + BOX_W, middle + BOX_H / 2, COLUMN_PORTS, y + BOX_H / 2, false);
            portY.put(port, y);
        }
        Map<Integer, Integer> brokerY = new LinkedHashMap<>();
        int row = 0;
        for (Map.Entry<String, List<BrokerEndpoint>> zone : zones.entrySet()) {
            int zoneTop = first + row * ROW - 4;
            int zoneHeight = (zone.getValue().size() + 1) * ROW - 8;
            out.append("    <rect x=\"").append(COLUMN_ZONES).append("\" y=\"").append(zoneTop).append("\" width=\"")
                    .append(ZONE_W).append("\" height=\"").append(zoneHeight)
                    .append("\" fill=\"#f8f9fa\" stroke=\"#bbb\" stroke-dasharray=\"4 3\" rx=\"6\"/>\n");
            text(out, COLUMN_ZONES + 8, zoneTop + 16, "zone " + zone.getKey(), true);
            row++;
            for (BrokerEndpoint e : zone.getValue()) {
                int y = first + row * ROW;
                box(out, COLUMN_ZONES + 10, y, ZONE_W - 20, e.broker().label() + "  " + e.target(), e.advertised(),
                        "#ffffff");
                brokerY.put(e.broker().nodeId(), y);
                row++;
            }
        }
        for (BrokerEndpoint e : g.endpoints()) {
            int y = portY.get(e.advertisedPort());
            arrow(out, COLUMN_PORTS + BOX_W, y + BOX_H / 2, COLUMN_ZONES + 10, brokerY.get(e.broker().nodeId())
                    + BOX_H / 2, false);
        }
        if (g.bootstrapPort().isPresent()) {
            int y = portY.get(g.bootstrapPort().getAsInt());
            for (BrokerEndpoint e : g.endpoints()) {
                arrow(out, COLUMN_PORTS + BOX_W, y + BOX_H / 2, COLUMN_ZONES + 10,
                        brokerY.get(e.broker().nodeId()) + BOX_H / 2, true);
            }
        }
        out.append("  </g>\n");
        return top + height;
    }

    private static Map<String, List<BrokerEndpoint>> byZone(GroupPlan g) {
        Map<String, List<BrokerEndpoint>> zones = new java.util.TreeMap<>();
        for (BrokerEndpoint e : g.endpoints()) {
            zones.computeIfAbsent(e.broker().zone(), z -> new ArrayList<>()).add(e);
        }
        return zones;
    }

    private static void box(StringBuilder out, int x, int y, int w, String line1, String line2, String fill) {
        out.append("    <rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(w)
                .append("\" height=\"").append(BOX_H).append("\" fill=\"").append(fill)
                .append("\" stroke=\"#333\" rx=\"4\"/>\n");
        text(out, x + 6, y + 14, line1, false);
        if (!line2.isEmpty()) {
            out.append("    <text x=\"").append(x + 6).append("\" y=\"").append(y + 28)
                    .append("\" font-size=\"10\" fill=\"#555\">").append(escape(line2)).append("</text>\n");
        }
    }

    private static void text(StringBuilder out, int x, int y, String s, boolean bold) {
        out.append("    <text x=\"").append(x).append("\" y=\"").append(y).append('"')
                .append(bold ? " font-weight=\"bold\"" : "").append('>').append(escape(s)).append("</text>\n");
    }

    private static void arrow(StringBuilder out, int x1, int y1, int x2, int y2, boolean dashed) {
        out.append("    <line x1=\"").append(x1).append("\" y1=\"").append(y1).append("\" x2=\"").append(x2)
                .append("\" y2=\"").append(y2).append("\" stroke=\"").append(dashed ? "#c5221f" : "#333")
                .append('"').append(dashed ? " stroke-dasharray=\"5 4\"" : "")
                .append(" marker-end=\"url(#arrow)\"/>\n");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
