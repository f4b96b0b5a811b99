"""Monthly reports (báo cáo tháng) as immutable versions, their review, scorecards and rankings."""
