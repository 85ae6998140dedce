"""Alerts: rules on KPIs, indicators and event streams that notify roles once per condition."""
