"""The OpenAPI description lists every endpoint with its schemas."""

from __future__ import annotations

from django.test import Client


def test_it_describes_every_endpoint(db):
    schema = Client().get("/api/v1/openapi.json").json()

    assert schema["info"] == {"title": "Thi Đua DVC API", "version": "1", "description": schema["info"]["description"]}
    assert set(schema["paths"]) == {
        "/api/v1/rankings", "/api/v1/units/{code}/scorecard", "/api/v1/reports/matrix", "/api/v1/reports/{month}",
        "/api/v1/reports/{report_id}/verify", "/api/v1/reports/{report_id}/return",
        "/api/v1/reports/{report_id}/untruthful", "/api/v1/reports/{report_id}/untruthful/withdraw",
        "/api/v1/overview", "/api/v1/units", "/api/v1/units/{code}/reports", "/api/v1/reports/{report_id}",
        "/api/v1/awards/monthly",
    }
    assert {"ReportIn", "ReportSubmittedOut", "ErrorsOut", "RankingsOut"} <= set(schema["components"]["schemas"])
