"""Zendesk bridge: ticket webhooks from teams still on Zendesk, mirrored as items."""
