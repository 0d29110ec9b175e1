"""`lawbot laws` commands (placeholder until its owner fills it in)."""
