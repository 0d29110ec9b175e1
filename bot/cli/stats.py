"""`lawbot stats` commands (placeholder until its owner fills it in)."""
