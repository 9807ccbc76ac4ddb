"""党组织 area: party organizations, the 社会组织 they cover, terms, committee, 党小组 and the roster."""
