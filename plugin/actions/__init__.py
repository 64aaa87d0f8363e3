"""API actions, one module per category of the protocol."""
