"""Awards views, split by area: overview, monthly, year-end, nominations, documents, exports."""
