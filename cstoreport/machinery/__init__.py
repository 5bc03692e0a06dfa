"""The build machinery: data validation, the notebook runner, generated pages, the one-process
pipeline that ties them to Jupyter Book, and the benchmark that times it.

Nothing here computes a number that a reader sees; that is cstoreport.analysis.
"""
