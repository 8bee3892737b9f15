"""The captions of the report's charts. Captions are typed into the chapters, so they hold no
numbers (the narrative's no-typed-numbers rule); the charts whose form changes with the number
of areas (:mod:`.charts._many`) have a caption for each form, which the chapters cite as
``fig_caption_<name>`` (:attr:`wfscc.outputs.figures.Figure.markdown`)."""

from __future__ import annotations

from ._areas import a_row_each
from .disclosure import ProtectedTable

#: Figure name -> caption, in the order the chapters show them. Captions are typed into the
#: chapters, so they hold no numbers (the narrative's no-typed-numbers rule).
CAPTIONS = {
    "priorities": "Priority each pilot area gave to the core elements, from highest to lowest",
    "referrals": "Referrals between Jobcentre Plus and children's-centre services, by quarter",
    "composition": "Who the pilot reached: pilot starts, all pilot areas and each area",
    "starts": "Pilot starts per quarter in each area, and the month each reached a steady level",
    "takeup": "Use of Jobcentre Plus services at the centre, by survey wave and group",
    "attitudes": "Centre users in pilot areas rating their confidence, aspiration and "
                 "awareness of work highly, by survey wave",
}
#: The captions of the charts whose form changes beyond :data:`._areas.MAX_AREA_ROWS` areas,
#: where each becomes a summary of the areas (:mod:`.charts._many`) instead of a row per area:
#: the chapters cite the caption of the form drawn as ``fig_caption_<name>``.
MANY_CAPTIONS = {
    "priorities": "How many pilot areas gave each core element each priority, from highest to "
                  "lowest",
    "composition": "Who the pilot reached: pilot starts, all pilot areas and the number of "
                   "areas in each band of shares",
}


def caption(name: str, table: ProtectedTable) -> str:
    """The caption of chart ``name`` for the form it is drawn in from ``table`` (its protected
    data): :data:`MANY_CAPTIONS` when the areas are too many for a row each."""
    if name in MANY_CAPTIONS:
        areas = len(table.frame) - (1 if name == "composition" else 0)  # less "All pilot areas"
        if not a_row_each(areas):
            return MANY_CAPTIONS[name]
    return CAPTIONS[name]
