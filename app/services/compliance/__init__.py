"""Compliance area: the policy pack evaluated per 党组织 and period, kept as derived data."""
