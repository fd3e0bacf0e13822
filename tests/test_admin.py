"""Every model has an admin page, and every admin list, search and add form renders."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db
OUR_APPS = ("audit", "notifications", "accounts", "places", "residents", "organizations", "projects", "assessments",
            "councils", "timebank", "publicfunds", "programme", "reports")
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


def _admins():
    """Every registered ModelAdmin of our apps and every inline they carry."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        yield model, model_admin
        for inline in model_admin.inlines:
            yield inline.model, inline(model, admin.site)


def test_foreign_keys_never_render_a_select_of_every_row():
    """A <select> over every project or community costs seconds at province scale
    (activities and rectifications change pages took 2 s on the demo data)."""
    offenders = []
    for model, model_admin in _admins():
        lookups = set(model_admin.raw_id_fields) | set(model_admin.autocomplete_fields)
        readonly = set(model_admin.readonly_fields)
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and (field.many_to_one or field.many_to_many
                                                               or field.one_to_one)):
                continue
            if not field.editable or field.name in readonly or field.name in lookups:
                continue
            if getattr(model_admin, "fk_name", None) == field.name or (
                    isinstance(model_admin, admin.options.InlineModelAdmin)
                    and field.related_model is model_admin.parent_model):
                continue  # the inline's own parent link
            if field.related_model._meta.app_label in ("contenttypes", "auth"):
                continue
            offenders.append(f"{type(model_admin).__name__}.{field.name}")
    assert not offenders, offenders


def test_admin_lists_join_their_foreign_keys():
    missing = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        shown = [name for name in model_admin.list_display if isinstance(name, str)]
        related = [name for name in shown if any(f.name == name and f.is_relation and f.many_to_one
                                                for f in model._meta.get_fields())]
        if related and not model_admin.list_select_related:
            missing.append(type(model_admin).__name__)
    assert not missing, missing
