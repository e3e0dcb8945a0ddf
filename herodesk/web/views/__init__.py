"""Desk pages, one module per area: queue, ticket, handoff, links, schedule, team_settings."""
