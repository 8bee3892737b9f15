"""Named facts: every number the report's prose uses, with its base, its text and its source.

The ``.qmd`` files cite a fact as ``{{< var name >}}``; the text is in house style
(:mod:`wfscc.housestyle`). Shares are proportions in ``value``; ``text`` reads "14 per cent".
``*_ci`` facts hold ``[lower, upper]`` and read "11 to 17 per cent".

Disclosure control (``threshold``, 10 unless the build sets another): a count of people or
records (starts, respondents, referrals, ...) from 1 to ``threshold - 1`` reads "fewer than 10"
and keeps no value or base (``Fact.suppressed``); a share, average or change on a base below
the threshold (or, for the unweighted MI, counting fewer starts) reads "not shown (too few)".
Counts of LAs, centres, waves and core elements, and of interviews raising a theme, are not
counts of people and are shown as they are.

Catalogue (``<g>`` is ``pilot`` or ``comparison``, ``<w>`` is ``1`` or ``2``, ``<e>`` a core
element, ``<r>`` an engagement route, ``<b>`` a main barrier, ``<t>`` a theme code):

=============================================  ================================================
name                                           meaning
=============================================  ================================================
n_pilot_las, n_comparison_las (+_words)        local authorities in each group ("ten" in words)
centres_per_la, n_pilot_centres                centres per pilot LA ("three"), pilot centres
pilot_start, pilot_end, pilot_period           "January 2009", "March 2011", "January 2009 to ..."
pilot_months                                   length of the pilot period in months
first_la_start, last_la_start                  month the first / last pilot LA started
n_survey_waves, n_interview_waves              waves of the survey / of interviews ("two")
ci_level                                       level of every interval ("95 per cent")
disclosure_threshold                           smallest count or base published ("10")
bedding_in_rule_share/_window/_final_months    the bedding-in rule: "80 per cent" of the steady
                                                 level, "three months" window, "12 months" end
survey_n_total, survey_n_w<w>                  survey respondents, all / by wave
survey_n_<g>_w<w>                              respondents by group and wave
takeup_<g>_w<w>, takeup_<g>_w<w>_ci            share using JCP services at the centre, interval
takeup_all_w<w>                                the same, both groups together
takeup_<g>_change (+_ci, _p)                   change wave 1 to 2 in percentage points, test
takeup_pilot_ratio                             wave 2 take-up as a multiple of wave 1 (pilot)
takeup_pilot_change_words                      that change as a verb ("more than quadrupled")
takeup_did (+_ci, _p)                          difference-in-differences, pilot vs comparison
pref_centre_<g>, pref_centre_all               share preferring the centre to the JCP office
pref_centre_all_words                          the same in words ("a vast majority")
pref_office_all                                share preferring the Jobcentre Plus office
pref_centre_expressed_all                      share preferring the centre among those with a view
att_<m>_<g>_w<w>, att_<m>_pilot_change (+_p)   share scoring 4-5 on <m> (confidence, aspiration,
                                                 awareness); change in percentage points, test
adviser_positive_share (+_ci)                  pilot wave-2 users who met the adviser rating 4-5
mi_starts                                      pilot starts recorded in the MI
lone_parent_benefit_share (+_around, _ci)      share of starts who were lone parents on benefit
lone_parent_benefit_la_range                   lowest to highest LA share ("48 to 70 per cent")
non_traditional_share (+_around, _ci)          share of starts who were non-traditional customers
second_earner_share (+_around, _ci)            share of starts who were potential second earners
second_earner_among_non_traditional_share      share of non-traditional starts who were 2nd earners
route_<r>_share (+_ci), outreach_share         share of starts by engagement route
barrier_any_share (+_ci), barrier_<b>_share    starts with a main barrier recorded / barrier <b>
barrier_top, barrier_top_share                 the most common barrier ("childcare"), its share
support_<s>_share (+_ci)                       starts given help <s>: better_off_calc,
                                                 tax_credits, cv, training_referral
job_entries, job_entry_rate (+_ci)             starts with a job entry, and as a share of starts
training_starts, training_start_rate (+_ci)    starts with a training start, and share
referred_on, referred_on_rate (+_ci)           starts referred on to other services, and share
median_days_to_job, median_days_to_training    days from start to outcome (median)
bedding_in_months_median/_min/_max             months to a steady level of starts, across LAs
bedding_in_las                                 LAs that reached a steady level
referral_months_median/_min/_max               months to established referral flows, across LAs
referrals_total, referrals_jcp_to_centre,      referrals in total and by direction
  referrals_centre_to_jcp
referrals_first_year, referrals_last_year      referrals Jan-Dec 2009 / Apr 2010-Mar 2011
referral_growth, referral_ratio                growth first to last year (per cent, multiple)
n_core_elements                                core elements of the pilot ("five")
delivery_all_five_las (+_words), delivery_n_las  LAs delivering all five elements / pilot LAs
delivery_all_five_words                        "all" when every LA delivered all five
delivery_<e>_las, priority_first_<e>_las       LAs delivering <e> / ranking it first
delivery_top_priority_element, _las            element most often ranked first (in words), LAs
delivery_n_distinct_top_priorities             different elements ranked first by some LA
interviews_total, interviews_case_study,       coded interviews, by type, wave and role
  interviews_in_depth, interviews_w<w>, interviews_<role>
theme_<t>_n, theme_<t>_words                   interviews mentioning theme <t>; share in words
theme_<t>_<role>_n                             interviews by role mentioning <t>
theme_<t>_las                                  pilot LAs with an interview coded <t>
fig_alt_<name>                                 alt text of chart <name>; these fig_* facts come
                                                 with the charts (`outputs.figures.report_facts`)
fig_note_<name>, fig_base_<name>,              the lines under chart <name>: error bars and [c];
  fig_source_<name>                              its base; its source
<name>_cell                                    a fact a table cites, as a numeral ("14", "[c]")
source_<kind>                                  a table's source (survey, mi, referrals, ...)
suppressed_note                                the one wording of [c]
att_<m>_pilot_change_ci                        interval of the attitude change (pilot)
att_<m>_did (+_ci, _p)                         attitude difference-in-differences
interviews_<type>_<role>                       interviews of a type with a role
referral_growth_window, referrals_own_first,   referrals in each LA's first months from its own
  referrals_own_last, referral_ratio_own_start   start against the pilot's final months, summed
(claims)                                       phrases worded from the data: see
                                                 :mod:`wfscc.facts._claims`
=============================================  ================================================

Per-LA facts (``la_*``) come from :func:`la_facts`, their pilot-wide comparators from
:func:`pilot_reference`; see :mod:`wfscc.facts._profile`.
"""

from __future__ import annotations

from ..contract import DEFAULT_THRESHOLD, cell_facts
from ..memo import Memo
from ._claims import Claim, claim_facts, claims_from_facts
from ._comparisons import attitude_comparisons, interview_types, referral_timing
from ._core import Fact, Facts, change_words, sorted_unique, write_facts
from ._design import context, delivery
from ._interviews import interviews
from ._mi import mi_facts
from ._profile import la_facts, monthly_average_starts, pilot_reference
from ._survey import survey
from ._timing import timing
from ._wording import rules_markdown

__all__ = ["Claim", "Fact", "change_words", "claims_from_facts", "compute_facts",
           "la_facts", "monthly_average_starts", "pilot_reference", "rules_markdown",
           "sorted_unique", "write_facts"]


#: The groups of facts of the data, in the order they are made; each is marked with the
#: tables it reads (:func:`wfscc.memo.reads`) and is given those alone, so that with a store it
#: is made again exactly when one of them changed (:func:`compute_facts`).
GROUPS = (context, delivery, survey, mi_facts, timing, interviews, attitude_comparisons,
          interview_types, referral_timing)


_WITH_THRESHOLD = (context, mi_facts)


def _group(make, tables, threshold: int) -> list[Fact]:
    """The facts of one group, made from ``tables`` (a namespace of the tables it reads)."""
    f = Facts(threshold)
    make(f, tables, threshold) if make in _WITH_THRESHOLD else make(f, tables)
    return list(f)


def compute_facts(dataset, *, threshold: int = DEFAULT_THRESHOLD, store=None) -> list[Fact]:
    """Every fact of the data, sorted by name (catalogue in the module docstring).

    ``threshold`` is the disclosure threshold (``Config.threshold``): it is reported as
    ``disclosure_threshold``, counts of people below it read "fewer than N", shares on a base
    below it are withheld, and LAs with fewer starts are left out of LA ranges.
    The charts' facts (``fig_*``) are not here: the output stage makes them from the charts it
    draws, and :func:`wfscc.outputs.figures.report_facts` merges both into the facts the report
    cites.

    ``store`` (a :class:`wfscc.memo.Memo`): each group of :data:`GROUPS` is taken from it when
    the tables it reads, the threshold and the package code are those it was made from.
    """
    f = Facts(threshold)
    store = store if store is not None else Memo(None)
    for make in GROUPS:
        f.extend(store.made_from("facts", make, dataset, threshold, run=_group))
    f.extend(claim_facts(f))
    f.extend(cell_facts(list(f), Fact))  # numerals for the tables, Source lines
    return sorted_unique(f)
