/**
 * Renderers from the deployment model to files: broker configs (new cluster or the change to a running one),
 * port maps, the gateway config, consumer instructions, Mermaid and SVG pictures, and the writer that puts them
 * in place only when everything rendered. Every renderer is a pure function of the model: same spec, same bytes.
 */
package io.brokerlink.plan;
