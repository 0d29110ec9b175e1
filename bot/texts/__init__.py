"""Every text a resident, volunteer or adviser reads lives in this folder, one module per area.

Advisers review the wording here. Code elsewhere never writes Chinese for people to read.
"""
