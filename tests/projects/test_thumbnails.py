"""Photo thumbnails (issue #13): made once by a task after commit, served by the photo's own
permission-checked view, a placeholder rather than a 500, and pages show them with a viewer."""
import datetime
import io

import pytest
from django.urls import reverse
from PIL import Image

from projects import services
from projects.models import Application, Project
from tests import files
from tests.projects.fixtures import (  # noqa: F401
    _eager_celery,
    build,
    funding_round,
    review_form,
    second_reviewer,
)
from web import tasks, thumbnails

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(build, cast):
    project = Project.objects.get(application=build(Application.Status.APPROVED))
    project = services.agreement_sign(project=project, actor=cast["city_bureau"], signed_on=datetime.date(2016, 3, 10))
    return project.progress_reports.get(number=1)


@pytest.fixture
def activity(report, cast):
    return services.activity_add(report=report, actor=cast["agency"], held_on=report.period_start,
                                 title="坝坝会", kind="courtyard_meeting")


def _add_photo(activity, cast, size=(1200, 900)):
    return services.photo_add(activity=activity, actor=cast["agency"], upload=files.jpeg(size=size))


def test_upload_queues_the_task_after_commit_and_it_makes_the_thumbnail_once(
        activity, cast, django_capture_on_commit_callbacks, _eager_celery):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        photo = _add_photo(activity, cast)
    storage, name = photo.image.storage, thumbnails.thumbnail_name(photo.image)
    assert not storage.exists(name)  # nothing before the commit
    for callback in callbacks:
        callback()
    assert storage.exists(name)
    with storage.open(name) as handle, Image.open(handle) as image:
        assert image.format == "JPEG" and max(image.size) == thumbnails.THUMB_SIDE
    made_at = storage.get_modified_time(name)
    assert tasks.make_thumbnail.apply(args=["projects.ActivityPhoto", photo.pk, "image"]).get() is False
    assert storage.get_modified_time(name) == made_at


def test_the_task_refuses_unregistered_fields_and_vanished_rows(activity, cast):
    photo = _add_photo(activity, cast)
    assert tasks.make_thumbnail.apply(args=["projects.ActivityPhoto", photo.pk, "name"]).get() is False
    assert tasks.make_thumbnail.apply(args=["projects.ActivityPhoto", photo.pk + 999, "image"]).get() is False
    assert tasks.make_thumbnail.apply(args=["projects.ActivityPhoto", photo.pk, "image"]).get() is True


def test_thumbnail_view_is_the_photos_permission_check(activity, cast, client_for):
    photo = _add_photo(activity, cast)
    url = reverse("projects:activity_photo_thumb", args=[activity.report_id, photo.pk])
    response = client_for("street").get(url)  # not made yet: made on this first request
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "attachment" not in response.get("Content-Disposition", "")
    assert response["X-Content-Type-Options"] == "nosniff"
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert max(image.size) <= thumbnails.THUMB_SIDE
    assert photo.image.storage.exists(thumbnails.thumbnail_name(photo.image))
    for outsider in ("other_agency", "other_district_bureau", "other_community", "anonymous"):
        assert client_for(outsider).get(url).status_code in (302, 404), outsider


def test_unreadable_original_gives_a_placeholder_not_a_500(activity, cast, client_for):
    photo = _add_photo(activity, cast)
    photo.image.storage.delete(photo.image.name)
    response = client_for("agency").get(reverse("projects:activity_photo_thumb", args=[activity.report_id, photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_removing_the_activity_removes_the_thumbnail(activity, cast):
    photo = _add_photo(activity, cast)
    name, made = thumbnails.make_thumbnail(photo.image)
    assert made
    services.activity_remove(activity=activity, actor=cast["agency"])
    assert not photo.image.storage.exists(name)


def test_progress_page_shows_thumbnails_that_open_the_viewer(activity, cast, client_for):
    photos = [_add_photo(activity, cast, size=(60, 40)) for _ in range(2)]
    html = client_for("agency").get(reverse("projects:progress_detail", args=[activity.report_id])).content.decode()
    for photo in photos:
        thumb = reverse("projects:activity_photo_thumb", args=[activity.report_id, photo.pk])
        assert f'<img class="photo-thumb rounded border" src="{thumb}"' in html
    assert html.count(f'data-photo-viewer="report-{activity.report_id}"') == 2
    assert 'id="photo-viewer"' in html and "js/photo-viewer.js" in html


def test_application_page_shows_image_thumbs_and_document_kind_and_size(build, cast, client_for):
    application = build(Application.Status.DRAFT)
    image = services.attachment_add(application=application, actor=cast["agency"], upload=files.jpeg("现场.jpg"))
    document = services.attachment_add(application=application, actor=cast["agency"], upload=files.pdf())
    client = client_for("agency")
    html = client.get(reverse("projects:application_detail", args=[application.pk])).content.decode()
    assert reverse("projects:attachment_thumb", args=[application.pk, image.pk]) in html
    assert reverse("projects:attachment_thumb", args=[application.pk, document.pk]) not in html
    assert "PDF · " in html
    assert client.get(reverse("projects:attachment_thumb", args=[application.pk, image.pk])).status_code == 200
    assert client.get(reverse("projects:attachment_thumb", args=[application.pk, document.pk])).status_code == 404


@pytest.mark.parametrize("content_type, label", [
    ("application/pdf", "PDF"), ("application/vnd.ms-excel", "Excel"), ("image/jpeg", "图片"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"), ("", "文件")])
def test_documents_are_labelled_by_type(content_type, label):
    from web.templatetags.web_files import file_kind
    assert file_kind(content_type) == label


def test_the_task_retries_on_storage_errors(activity, cast, monkeypatch):
    photo = _add_photo(activity, cast)
    calls = []

    def broken(field_file):
        calls.append(field_file.name)
        raise OSError("storage unavailable")

    monkeypatch.setattr(thumbnails, "make_thumbnail", broken)
    result = tasks.make_thumbnail.apply(args=["projects.ActivityPhoto", photo.pk, "image"])
    assert len(calls) > 1  # tried again, not given up on the first error
    assert result.state in ("RETRY", "FAILURE")
