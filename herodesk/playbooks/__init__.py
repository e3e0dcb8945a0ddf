"""Playbooks: guarded, audited procedures attached to a ticket (SPEC §8)."""
