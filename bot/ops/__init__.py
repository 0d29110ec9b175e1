"""Keeping lawbot alive on a server: the run lock, backups, health and the log format."""
