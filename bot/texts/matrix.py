"""What people read that only the Matrix channel writes."""

from __future__ import annotations

# Put in front of each piece when a long message is sent in several parts.
PART = "（第 {n}/{total} 部分）\n"
