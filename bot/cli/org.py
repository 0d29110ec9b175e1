"""`lawbot org` commands (placeholder until its owner fills it in)."""
