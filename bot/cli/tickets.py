"""`lawbot tickets` commands (placeholder until its owner fills it in)."""
