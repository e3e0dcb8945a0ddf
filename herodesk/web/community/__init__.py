"""The community site's pages under /community/ (server-rendered, no build step)."""
