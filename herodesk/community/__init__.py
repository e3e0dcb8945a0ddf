"""Community questions (SPEC §9): a Q&A site at the end of every docs page.

Questions are grouped by the docs page they were asked on and by topic; the
people who ask and answer have community accounts, separate from staff users.
Writes go through `herodesk.community.actions`, reads through `queries`.
"""
