"""The output stage: everything the build publishes from the analysis, beside the facts.

================  ==========================================================================
module            what it makes
================  ==========================================================================
``disclosure``    the disclosure rules and :func:`~wfscc.outputs.disclosure.protect`, which
                  every published table passes through (cells below the threshold withheld)
``tables``        the published tables (CSV, XLSX, ODS) in the house style
``charts``        chart helpers in the house style; each chart carries its alt text
``figures``       the report's charts as SVG with their protected data, and the facts that
                  carry their alt texts and the lines under them
``qa``            the quality-assurance log of Annex B
================  ==========================================================================

The package imports the analysis and the facts, never the notebook API, the render engines, the
guard or the pipeline (``tests/test_architecture.py`` checks the layers). Its modules are its
public API; this file imports none of them, so loading the disclosure rules (as the guard does)
does not load Matplotlib.
"""
