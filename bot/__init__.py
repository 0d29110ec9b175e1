"""lawbot's conversation core, escalation desk, channels and command line."""
