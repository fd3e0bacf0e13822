"""Pages of the community-building map and its learning routes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from web.forms import add_service_error
from web.views import paginate

from . import services, stories
from .forms import RouteForm, StoryFilterForm, StoryForm
from .models import CommunityStory


@login_required
def story_map(request):
    form = StoryFilterForm(request.GET or None)
    queryset = stories.stories_for_user(request.user)
    if form.is_valid():
        queryset = stories.filter_stories(queryset, **form.cleaned_data)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "programme/story_map.html", {
        "form": form,
        "page": paginate(request, queryset),
        "query": query.urlencode(),
        "points": stories.map_points(queryset),
        "routes": stories.routes_for_user(request.user)[:10],
        "can_plan": stories.can_plan_routes(request.user),
    })


@login_required
def story_detail(request, community_pk):
    community, story = stories.get_story_for_user(request.user, community_pk)
    return render(request, "programme/story_detail.html", {
        "community": community,
        "story": story,
        "can_edit": stories.can_edit_story(request.user, community),
        "points": stories.map_points(CommunityStory.objects.filter(pk=story.pk)) if story else [],
        **stories.story_sections(request.user, community),
    })


@login_required
@require_http_methods(["GET", "POST"])
def story_edit(request, community_pk):
    community = stories.get_community_for_story_edit(request.user, community_pk)
    story = CommunityStory.objects.filter(community=community).first()
    form = StoryForm(request.POST or None, instance=story)
    if request.method == "POST" and form.is_valid():
        try:
            services.story_save(actor=request.user, community=community, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("营造地图档案已保存。"))
            return redirect("programme:story_detail", community_pk=community.pk)
    return render(request, "programme/form.html", {
        "form": form, "title": _("编辑营造地图档案"), "subtitle": community.name,
        "cancel_url": reverse("programme:story_detail", args=[community.pk]) if story else "",
    })


@login_required
def route_detail(request, pk):
    route = stories.get_route_for_user(request.user, pk)
    return render(request, "programme/route_detail.html", {
        "route": route, "can_edit": stories.can_edit_route(request.user, route),
    })


@login_required
@require_http_methods(["GET", "POST"])
def route_create(request):
    stories.require_route_planner(request.user)
    return _route_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def route_edit(request, pk):
    return _route_form(request, stories.get_route_for_edit(request.user, pk))


def _route_form(request, route):
    form = RouteForm(request.POST or None, initial=RouteForm.initial_for(route) if route else None)
    if request.method == "POST" and form.is_valid():
        stops, notes = form.stops()
        try:
            route = services.route_save(actor=request.user, route=route, name=form.cleaned_data["name"],
                                        description=form.cleaned_data["description"], communities=stops, notes=notes)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("学习路线已保存。"))
            return redirect("programme:route_detail", pk=route.pk)
    return render(request, "programme/form.html", {"form": form, "title": _("编排学习路线"),
                                                   "subtitle": route.name if route else ""})
