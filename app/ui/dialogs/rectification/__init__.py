"""The 整改 dialogs: the item with its history and the follow-ups allowed now (``detail``), one follow-up
asking what its kind needs (``follow_up``), and the guided form of a new item or a 草稿 (``item_form``)."""
