/**
 * Terraform for the cloud of a deployment: one load balancer and one endpoint service per listener group, a
 * listener and target per advertised port plus bootstrap. Network ids are variables; outputs name the service.
 */
package io.brokerlink.plan.terraform;
