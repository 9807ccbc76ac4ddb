"""文书 records: numbering (GB/T 9704), notices and their lifecycle, documents assembled from the records and
printed (issue 8)."""
