"""Sentry integration webhooks: issue alerts, metric alerts, issue lifecycle → T0 items."""
