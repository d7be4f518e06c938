/**
 * Reading a deployment spec (YAML) into the model: strict (unknown keys, wrong types and duplicate keys are
 * errors) and precise (every error names the file, the line and the field).
 */
package io.brokerlink.core.spec;
