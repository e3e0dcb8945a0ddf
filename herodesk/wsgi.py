import os

from django.core.wsgi import get_wsgi_application

from herodesk.lib.gcfreeze import FrozenAfterWarmUp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "herodesk.settings")
# The process's long-lived objects are frozen out of the garbage collector's
# full walks (a 150+ ms pause every ~1,700 requests and while warming up;
# herodesk/lib/gcfreeze.py).
application = FrozenAfterWarmUp(get_wsgi_application())
