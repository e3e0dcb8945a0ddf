"""Slack Events API: support channels, reactions, CS escalations, community redirects."""
