/** Tests of the deployment artefacts: the Helm chart (rendered and linted with helm-java) and the Prometheus rules. */
@NullMarked
package io.payegress.gateway.deploy;

import org.jspecify.annotations.NullMarked;
