import os

from django.core.wsgi import get_wsgi_application

from herodesk.lib.gcfreeze import FrozenAfterWarmUp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "herodesk.settings")
# The process's long-lived objects are frozen out of the garbage collector's
# full walks (the p99 of every page; herodesk/lib/gcfreeze.py).
application = FrozenAfterWarmUp(get_wsgi_application())
