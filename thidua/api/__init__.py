"""JSON API (django-ninja): rankings, scorecards, the review matrix, report submission and review."""
