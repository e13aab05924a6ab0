package com.hearth.engine.compliance;

import com.hearth.engine.CborSerializable;
import java.time.Instant;

/**
 * An event of host onboarding: a host's profile or a kitchen's documents. All carry one tag,
 * {@value #TAG}, read in order by one projection into the onboarding read tables (the volume is a
 * few events per host and document, far below the kitchens').
 */
public interface OnboardingEvent extends CborSerializable {
  String TAG = "onboarding";

  Instant at();
}
