"""`lawbot init` commands (placeholder until its owner fills it in)."""
