"""走访 area: the month's visit plan, visits and their checklists, findings (DESIGN §2.0, issue 8)."""
