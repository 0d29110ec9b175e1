"""`lawbot faq` commands (placeholder until its owner fills it in)."""
