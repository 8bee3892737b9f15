"""The notebook API: everything ``notebooks/la_profile.ipynb`` calls, so its cells only call it.

* :mod:`.store`: the profile store the build writes and :func:`~.store.load_profile` reads;
* :mod:`.display`: showing Markdown, charts and tables in the house style;
* :mod:`.wording`: an area's facts as the profile words them (:class:`~.wording.ProfileFacts`);
* :mod:`.prose`: the text of each section, built from those facts;
* :mod:`.quarters`: counts by calendar quarter and their bar chart with its alt text;
* :mod:`.tables`: the profile's tables (who it engaged, the core elements, the survey).

This ``__init__`` imports nothing: the warm kernels import :mod:`.store` before a notebook runs,
and :mod:`.display` (through :mod:`wfscc.outputs.charts`) selects Matplotlib's Agg backend.
"""
