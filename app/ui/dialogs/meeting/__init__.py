"""The meeting form (三会一课 and other organizational life), in small parts: the kind and the basics
(``basics``), attendance from the roster on the meeting's date (``attendance``), agenda items and votes
(``agenda``), attachments (``attachments_panel``), the draft codec (``codec``) and the window (``dialog``)."""
