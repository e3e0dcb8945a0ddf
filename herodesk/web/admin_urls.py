"""The admin site's URLs; importing this module discovers the apps' admin
modules (herodesk/lib/lazyadmin.py). Included lazily by herodesk/urls.py."""

from django.contrib import admin

from herodesk.lib.lazyadmin import discover

discover()

app_name = "admin"
urlpatterns = admin.site.get_urls()
