"""`lawbot chat` commands (placeholder until its owner fills it in)."""
