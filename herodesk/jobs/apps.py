from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "herodesk.jobs"
    label = "jobs"
    verbose_name = "Jobs: worker, scheduler, heartbeats, housekeeping"
