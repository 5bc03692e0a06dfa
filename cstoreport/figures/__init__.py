"""The report's figures, one module per notebook: each function draws one figure from the
tables the notebook loaded and returns it; the notebook shows the call, saves the figure with
`style.save` and shows it. Presentation only: the numbers come from `cstoreport.analysis`."""
