"""`lawbot ask` commands (placeholder until its owner fills it in)."""
