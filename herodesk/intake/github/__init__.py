"""GitHub webhooks: outside contributors' issues and comments → T4 items."""
