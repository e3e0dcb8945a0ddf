"""The in-app bug report channel: the app's "bug button" posts JSON here."""
