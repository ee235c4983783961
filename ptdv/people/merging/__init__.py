"""One person, one record: finding probable duplicates (``selectors``), merging two records
and undoing it (``services``), and their pages (``views``, routed by the exchange app's
URLs as /exchange/duplicates/). Moved from the exchange app (issue 14)."""
