"""The method's fixed rules (Annex B), which the analysis applies and the synthetic generator
calibrates against: the bedding-in rule and the window of the referral growth from each LA's
own start.
"""

from __future__ import annotations

__all__ = ["BEDDING_IN_RULE", "GROWTH_WINDOW"]

#: Bedding in (:mod:`wfscc.analysis.bedding_in`): an LA has bedded in at the first month whose
#: ``window``-month rolling mean reaches ``share`` of its steady level, the median of the pilot's
#: ``final_months`` months. Referral flows are established by the same rule.
BEDDING_IN_RULE = {"share": 0.8, "window": 3, "final_months": 12}
#: Months compared by :func:`wfscc.analysis.referral_growth_from_start`: short enough that an
#: LA's first months and the pilot's final months never overlap for an LA that started within
#: the pilot's first year.
GROWTH_WINDOW = 6
