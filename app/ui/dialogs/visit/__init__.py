"""The visit form (走访记录) and its parts."""
