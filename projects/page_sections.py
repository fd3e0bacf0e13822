"""What this app adds to the places app's pages (registered from apps.py). The
registry itself is web.sections; this app's own pages read it too."""

from web import sections


def register() -> None:
    sections.register(page="community_detail", slot="actions", template="projects/_community_actions.html")
