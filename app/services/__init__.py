"""Domain logic: no Qt; each call owns its transaction and returns frozen DTOs."""
