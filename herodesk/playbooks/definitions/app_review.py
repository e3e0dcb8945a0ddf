"""New app review (handbook: "Reviewing new apps"): automatic checks on the plugin's
source archive, then the manual steps to put it on Cloud."""

from __future__ import annotations

from herodesk.domain.playbook import Input, Kind, Playbook, Step

APP_REVIEW = Playbook(
    slug="app-review",
    name="New app review",
    description="Review a customer's app before it goes on Cloud.",
    inputs=(Input("repository", "The app's repository URL", required=False),),
    steps=(
        Step(
            "automatic-checks",
            Kind.AUTO_CHECK,
            "Upload the source archive: automatic checks",
            help="logo.png, plugin.json, bounded requests, RetryError, tests. "
            "Opens when a review passes (warnings allowed).",
            params={"probe": "app-review"},
        ),
        Step(
            "read-code",
            Kind.CHECK,
            "Read the code: nothing dangerous (no arbitrary number of requests, no DDoS)",
        ),
        Step("fork", Kind.CHECK, "Fork their GitHub project"),
        Step("integrations-repo", Kind.CHECK, "Add the fork to our integrations repository"),
        Step("tell-marketing", Kind.CHECK, "Tell the marketing team about the new integration"),
        Step(
            "install",
            Kind.ACTION,
            "Install it on Cloud",
            params={"link": "apps"},
        ),
        Step("make-global", Kind.CHECK, "Make it global"),
    ),
)
