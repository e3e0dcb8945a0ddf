"""Community questions (SPEC §9): the channel; the Q&A site lives in herodesk.community."""
