"""Shared code for the "Armenia and the CSTO" report.

Loading and validating the data package, the figure style, and the small computations
that more than one notebook needs live here; notebooks stay thin.
"""
from cstoreport.paths import ROOT, DATA_DIR, DERIVED_DIR, FIGURES_DIR, BIB_PATH
from cstoreport.validate import DataError, load_table, validate_package, write_table

__all__ = [
    "ROOT", "DATA_DIR", "DERIVED_DIR", "FIGURES_DIR", "BIB_PATH",
    "DataError", "load_table", "validate_package", "write_table",
]
