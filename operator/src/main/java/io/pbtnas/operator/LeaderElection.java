package io.pbtnas.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;

/**
 * One active replica at a time: the others wait on a Lease in the operator's namespace.
 * QOSDK activates it in the prod profile only, so tests run a single unelected operator.
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {
    public LeaderElection() {
        super("pbtnas-operator-lease");
    }
}
