"""What the bot knows: FAQ entries, the statute corpus, citations, import and export.

Imports nothing of the rest of the project.
"""
