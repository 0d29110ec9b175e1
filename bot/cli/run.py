"""`lawbot run` commands (placeholder until its owner fills it in)."""
