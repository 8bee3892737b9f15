"""The analysis: one module per finding. Tidy frames in, tidy frames out; inputs never change.

Every estimate carries its unweighted ``base`` and 95% ``lower`` and ``upper`` bounds. Shares are
proportions (0..1); the house-style text is made in :mod:`wfscc.facts`.

=================  ==========================================================================
module             finding
=================  ==========================================================================
``survey``         take-up of Jobcentre Plus services at the centre, preference, attitudes
``engagement``     who the pilot reached (lone parents on benefit, non-traditional, second earners)
``bedding_in``     monthly starts and months to a steady level
``partnership``    referrals between Jobcentre Plus and centres, growth, established flows
``delivery``       the five core elements by LA
``outcomes``       job entries, training starts, referrals on
``qualitative``    theme frequencies in the coded interviews
``without``        shares among all areas but one, for every area at once (the rest of the pilot)
=================  ==========================================================================

The statistics the findings share are public here as well, for the facts and the outputs:
``Z95`` and ``CI_LEVEL``, :func:`wilson` intervals, :func:`share` and :func:`weighted_share`,
:func:`two_proportion`, :func:`equals`, :func:`months_between` and :func:`quarter_label`.
"""

from ._stats import (
    CI_LEVEL,
    Z95,
    as_list,
    equals,
    months_between,
    quarter_label,
    share,
    two_proportion,
    weighted_share,
    wilson,
)
from .bedding_in import bedding_in, bedding_in_summary, monthly_counts, monthly_starts
from .delivery import ELEMENTS, delivery_by_element, delivery_by_la, las_delivering_all
from .design import attitude_did, did, wave_change
from .engagement import MEASURES, add_derived, engagement_shares, route_mix, with_derived
from .outcomes import OUTCOMES, outcomes
from .partnership import (
    referral_flows,
    referral_growth,
    referral_growth_from_start,
    referrals_by_quarter,
    referrals_by_service,
)
from .qualitative import THEMES, theme_frequencies
from .survey import (
    ATTITUDES,
    attitude_change,
    attitudes,
    mean_scores,
    preference,
    takeup,
    takeup_change,
    takeup_did,
)
from .without import engagement_shares_without, outcomes_without, survey_shares_without

__all__ = [
    "ATTITUDES",
    "CI_LEVEL",
    "ELEMENTS",
    "MEASURES",
    "OUTCOMES",
    "THEMES",
    "Z95",
    "add_derived",
    "as_list",
    "attitude_change",
    "attitude_did",
    "attitudes",
    "bedding_in",
    "bedding_in_summary",
    "delivery_by_element",
    "delivery_by_la",
    "did",
    "engagement_shares",
    "engagement_shares_without",
    "equals",
    "las_delivering_all",
    "mean_scores",
    "monthly_counts",
    "monthly_starts",
    "months_between",
    "outcomes",
    "outcomes_without",
    "preference",
    "quarter_label",
    "referral_flows",
    "referral_growth",
    "referral_growth_from_start",
    "referrals_by_quarter",
    "referrals_by_service",
    "route_mix",
    "share",
    "survey_shares_without",
    "takeup",
    "takeup_change",
    "takeup_did",
    "theme_frequencies",
    "two_proportion",
    "wave_change",
    "weighted_share",
    "wilson",
    "with_derived",
]
