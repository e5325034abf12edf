"""How long the fuzzer runs: a short, repeatable pass in the normal suite, a long campaign on request.

FUZZ_PROFILE=campaign (what `make fuzz` sets) runs many more examples with fresh random
choices each run; the default is small and derandomized so `make test` stays quick and
gives the same result every time.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

SUPPRESSED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
              HealthCheck.function_scoped_fixture]

settings.register_profile("fuzz-ci", max_examples=3, deadline=None, derandomize=True, database=None,
                          suppress_health_check=SUPPRESSED, print_blob=True)
# No example database: every inner test has the same source, so saved examples would be replayed into the wrong forms.
settings.register_profile("campaign", max_examples=45, deadline=None, database=None,
                          suppress_health_check=SUPPRESSED, print_blob=True)

PROFILE = os.environ.get("FUZZ_PROFILE", "fuzz-ci")
# GET routes are cheaper to ask and have less behind them than forms: fewer examples each.
GET_SHARE = 0.5


def for_posts() -> settings:
    return settings(settings.get_profile(PROFILE))


def for_gets() -> settings:
    base = settings.get_profile(PROFILE)
    return settings(base, max_examples=max(2, int(base.max_examples * GET_SHARE)))
