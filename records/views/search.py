from records.views.portal import record_list  # noqa: F401  (moves here with the search engine)
