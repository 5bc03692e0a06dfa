"""Shared code for the "Armenia and the CSTO" report.

Loading and validating the data package, the figure style, and the small computations
that more than one notebook needs live here; notebooks stay thin.

Names are imported on first use, so that build steps with nothing to do start quickly.
"""

from cstoreport.paths import BIB_PATH, DATA_DIR, DERIVED_DIR, FIGURES_DIR, ROOT

_FROM_TABLES = ("DataError", "load_table", "state_names", "write_table")

__all__ = ["ROOT", "DATA_DIR", "DERIVED_DIR", "FIGURES_DIR", "BIB_PATH", *_FROM_TABLES]


def __getattr__(name):
    if name in _FROM_TABLES:
        from cstoreport import tables

        return getattr(tables, name)
    raise AttributeError(f"module 'cstoreport' has no attribute {name!r}")
