from django.contrib.auth import views as auth_views
from django.urls import path

from herodesk.web import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("queue/", views.queue_page, name="queue"),
    path("queue/<slug:team>/", views.queue_page, name="team_queue"),
]
