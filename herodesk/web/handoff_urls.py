from django.urls import path

from herodesk.web.views import handoff_reports as views

app_name = "notify"

urlpatterns = [
    path("teams/<slug:slug>/handoffs/", views.handoff_list, name="handoffs"),
    path("teams/<slug:slug>/handoffs/<int:report_id>/", views.handoff_detail, name="handoff"),
]
