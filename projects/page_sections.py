"""What this app adds to the places app's pages (registered from apps.py). The
registry itself is web.sections; this app's own pages read it too."""

from web import sections


def register() -> None:
    from .work_queues import home_queue

    sections.register(page="home", slot="queue", template="projects/_home_queue.html", context=home_queue)
    sections.register(page="community_detail", slot="actions", template="projects/_community_actions.html")
