"""The email channel: inbound SMTP and raw MIME over HTTP become tickets.

parse.py (MIME → ParsedEmail), clean.py (HTML sanitizing, quote stripping),
threading.py (which ticket a reply belongs to), adapter.py (delivery →
ticket), smtpd.py (the aiosmtpd handler behind `herodesk smtpd`).
"""
