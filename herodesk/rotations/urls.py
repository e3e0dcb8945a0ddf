from django.urls import re_path

from herodesk.rotations import views

app_name = "rotations"

urlpatterns = [
    re_path(
        r"^calendars/(?P<token>[0-9]{1,18}\.[A-Za-z0-9_-]{20,64})\.ics$", views.feed, name="feed"
    ),
]
