"""Sign-in security: throttling (django-axes), two-factor (django-otp), the
sessions each person has open, response headers and the deploy check."""
