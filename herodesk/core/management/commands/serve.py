import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve HeroDesk with gunicorn (a real WSGI server, not runserver)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("HERODESK_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("HERODESK_WEB_WORKERS", "2"))
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("HERODESK_WEB_THREADS", "1"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication

        from herodesk.wsgi import application

        config = {
            "bind": options["bind"],
            "workers": options["workers"],
            "threads": options["threads"],
            "accesslog": os.environ.get("HERODESK_ACCESS_LOG", "-"),
            "timeout": 60,
            "keepalive": 5,
        }

        class App(BaseApplication):
            def load_config(self) -> None:
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        self.stdout.write(f"HeroDesk serving on http://{options['bind']}/")
        App().run()
