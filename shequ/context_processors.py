from notifications.services import unread_count
from places.access import scope_for


def navigation(request):
    """What the header shows: the unread count and the menu entries the user's roles
    use. The scope is cached on the user, so views asking again cost nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    return {
        "unread_notifications": unread_count(user),
        "nav_places": scope.has_place,
        "nav_reviewer": "reviewer" in scope.roles,
        "nav_bureau": scope.is_bureau,
        # --- residents and councils (#17) ---
        "nav_residents": scope.is_admin or bool(scope.community_ids),
        # Residents (who hold no role) and place staff; no query: agency staff see an empty list at worst.
        "nav_councils": scope.has_place or not scope.roles,
        # --- end residents and councils ---
        # Time bank: everyone signed in (residents and merchants earn and redeem there).
        "nav_timebank": True,
        "nav_publicfunds": scope.has_place or not scope.roles,  # publicfunds (#18): staff and residents
    }
