"""The report's analysis: computations that turn curated data into the tables the chapters show.

Each module is tested in tests/ and called from the notebooks; none of them reads or writes
files itself (loading and writing go through cstoreport.load_table / write_table).
"""
