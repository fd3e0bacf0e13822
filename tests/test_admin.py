"""Every model has an admin page, and every admin list, search and add form renders."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db
OUR_APPS = ("audit", "notifications", "accounts", "places", "residents", "organizations", "projects", "assessments",
            "councils", "publicfunds", "programme", "reports")
# The ballot box has no admin page on purpose: nobody browses ballots (#17).
NO_ADMIN = {"councils.Ballot"}


def test_every_model_is_in_the_admin():
    """Registered, or edited inline on its parent (a rubric's categories, a sheet's scores)."""
    inline = {i.model for model_admin in admin.site._registry.values() for i in model_admin.inlines}
    missing = [m._meta.label for app in OUR_APPS for m in apps.get_app_config(app).get_models()
               if m not in admin.site._registry and m not in inline and m._meta.label not in NO_ADMIN]
    assert not missing, f"models without an admin: {missing}"


def test_every_admin_page_renders(client_for, cast, places, organizations):
    client = client_for("admin")
    failures = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        for url in (reverse("admin:%s_%s_changelist" % info), reverse("admin:%s_%s_changelist" % info) + "?q=高桥"):
            response = client.get(url)
            if response.status_code != 200:
                failures.append((url, response.status_code))
        if model_admin.has_add_permission(type("R", (), {"user": cast["admin"]})()):
            response = client.get(reverse("admin:%s_%s_add" % info))
            if response.status_code != 200:
                failures.append((info, "add", response.status_code))
    assert not failures, failures


def test_verbose_names_are_chinese():
    latin = [m._meta.label for app in OUR_APPS for m in apps.get_app_config(app).get_models()
             if str(m._meta.verbose_name).isascii()]
    assert not latin, latin
