"""The records tabs of the organization window: 年检年报, 信用记录, 换届, 评估, and the 我负责的组织 box."""
