"""The client's 组织台账 file (.xlsx) read on the server: the district's organizations imported by the admin."""
