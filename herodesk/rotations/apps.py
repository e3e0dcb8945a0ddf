from django.apps import AppConfig


class RotationsConfig(AppConfig):
    name = "herodesk.rotations"
    label = "rotations"
