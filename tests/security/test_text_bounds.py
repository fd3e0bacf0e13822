"""Issue #13 input: every text field of our apps has a max_length in the model, so forms and
serializers inherit it, and over-long input is refused at the field with a Chinese message."""
import inspect
import re
from importlib import import_module
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import models
from rest_framework import serializers

BASE = Path(settings.BASE_DIR).resolve()
pytestmark = pytest.mark.django_db
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def our_apps():
    return [config for config in apps.get_app_configs()
            if Path(config.path).resolve().is_relative_to(BASE) and ".venv" not in Path(config.path).parts]


def text_fields(config):
    for model in config.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField) and field.concrete:
                yield model, field


def test_our_apps_are_found():
    labels = {config.label for config in our_apps()}
    assert {"projects", "councils", "timebank", "publicfunds", "organizations"} <= labels


def test_every_text_field_has_a_max_length():
    unbounded = [f"{model._meta.label}.{field.name}" for config in our_apps()
                 for model, field in text_fields(config) if not field.max_length]
    assert unbounded == [], f"text fields without max_length: {unbounded}"


def _sample(config):
    """The app's first editable bounded text field that is not a choice field."""
    for model, field in text_fields(config):
        if field.editable and not field.choices and not field.primary_key and field.max_length:
            return model, field
    return None


SAMPLES = [(config.label, *_sample(config)) for config in our_apps() if _sample(config)]


def _chinese_errors(errors) -> bool:
    return bool(errors) and all(CHINESE.search(str(message)) for message in errors)


def _own_classes(label, module_name, base, model):
    """The app's own form/serializer classes bound to `model`, where it has some."""
    try:
        module = import_module(f"{label}.{module_name}")
    except ImportError:
        return []
    return [cls for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, base) and cls.__module__ == module.__name__
            and getattr(getattr(cls, "Meta", None), "model", None) is model]


@pytest.mark.parametrize("label, model, field", SAMPLES, ids=[s[0] for s in SAMPLES])
def test_over_long_text_is_refused_by_form_and_serializer_in_chinese(label, model, field):
    too_long = "长" * (field.max_length + 1)
    form_class = forms.modelform_factory(model, fields=[field.name])
    form = form_class(data={field.name: too_long})
    assert not form.is_valid()
    assert _chinese_errors(form.errors.get(field.name)), form.errors

    serializer_class = type("Probe", (serializers.ModelSerializer,), {
        "Meta": type("Meta", (), {"model": model, "fields": [field.name]})})
    serializer = serializer_class(data={field.name: too_long})
    assert not serializer.is_valid()
    assert _chinese_errors(serializer.errors.get(field.name)), serializer.errors


def test_the_apps_own_model_forms_and_serializers_carry_the_bound():
    """Every app's own ModelForm/ModelSerializer keeps a max_length on every model text field it
    exposes: a field declared explicitly can't drop the model's bound."""
    checked = []
    for config in our_apps():
        for model in config.get_models():
            bounds = {f.name: f.max_length for _, f in text_fields(config) if f.model is model}
            for cls in _own_classes(config.label, "forms", forms.ModelForm, model):
                for name, form_field in cls.base_fields.items():
                    if name in bounds and isinstance(form_field, forms.CharField) and not form_field.disabled:
                        assert form_field.max_length, (cls, name)  # may exceed the model's to allow normalising
                        checked.append((cls, name))
            for cls in _own_classes(config.label, "api", serializers.ModelSerializer, model):
                for name, ser_field in cls().fields.items():
                    if name in bounds and isinstance(ser_field, serializers.CharField) and not ser_field.read_only:
                        assert ser_field.max_length, (cls, name)
                        checked.append((cls, name))
    assert len(checked) > 20, checked
