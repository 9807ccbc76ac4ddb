"""整改 area: rectification items, their append-only follow-ups and the flow of DESIGN §2.1 (issue 8)."""
