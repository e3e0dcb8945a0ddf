"""App update review (handbook: "Updating existing apps"): a PR against our fork,
the checks on the new version with a diff summary, then the update on every
Cloud region."""

from __future__ import annotations

from herodesk.domain.playbook import Input, Kind, Playbook, Step

APP_UPDATE_REVIEW = Playbook(
    slug="app-update-review",
    name="App update review",
    description="Review an update of an app that is on Cloud and roll it out.",
    inputs=(Input("repository", "The app's repository URL", required=False),),
    steps=(
        Step(
            "open-pr",
            Kind.CHECK,
            "Open a PR against our fork with the new changes (synced from their repository)",
        ),
        Step(
            "automatic-checks",
            Kind.AUTO_CHECK,
            "Upload the new version and the old one (or a diff): automatic checks",
            help="The checks run on the new version; the diff summary compares the two.",
            params={"probe": "app-update-review"},
        ),
        Step(
            "review-merge",
            Kind.CHECK,
            "Review the changes (RetryError, bounded resources, security, tests) and merge",
        ),
        Step(
            "update-eu",
            Kind.ACTION,
            "Update the app on prod-eu (Browse Apps)",
            params={"link": "apps", "region": "EU"},
        ),
        Step(
            "update-us",
            Kind.ACTION,
            "Update the app on prod-us (Browse Apps)",
            params={"link": "apps", "region": "US"},
        ),
    ),
)
