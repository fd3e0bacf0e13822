"""The one step view (workflow.views.step_view), seen through a task's steps: the
confirm page, the step fired through the engine, and the same 404 / 403 / refusal
answers the hand-written step views gave."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from timebank.models import Task

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def step_url(task, name):
    return reverse("timebank:task_step", args=[task.pk, name])


def test_the_confirm_page_then_the_step_through_the_engine(task, jiahonglu_staff):
    client = login(jiahonglu_staff)
    page = client.get(step_url(task, "start"))
    assert page.status_code == 200
    assert "开始任务" in page.content.decode()
    response = client.post(step_url(task, "start"))
    assert response.status_code == 302
    assert response.url == reverse("timebank:task_detail", args=[task.pk])
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS
    assert AuditEvent.objects.filter(action="task.start", object_id=str(task.pk)).exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已办理。"]


def test_a_step_the_machine_does_not_declare_is_a_404(task, jiahonglu_staff):
    assert login(jiahonglu_staff).get(step_url(task, "explode")).status_code == 404


def test_someone_who_sees_the_task_but_may_not_take_the_step_gets_the_reason(task, resident):
    response = login(resident.user).post(step_url(task, "start"))
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == Task.Status.PUBLISHED


def test_a_step_in_the_wrong_state_goes_back_with_the_reason(task, jiahonglu_staff):
    response = login(jiahonglu_staff).post(step_url(task, "finish"))
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    task.refresh_from_db()
    assert task.status == Task.Status.PUBLISHED


def test_a_button_step_posts_at_once_and_goes_back(resident, other_resident, merchant, shopkeeper, jiahonglu_staff):
    """confirm=False (取消兑换): no confirm page, GET is refused, the step runs on POST."""
    from timebank import ledger, services
    from timebank.models import Redemption

    ledger.issue(resident=resident, amount=100, actor=jiahonglu_staff, memo="志愿服务")
    reward = services.reward_create(actor=shopkeeper, partner=merchant, name="券", points=10, stock=3)
    redemption = services.redemption_request(actor=resident.user, reward=reward)
    url = reverse("timebank:redemption_cancel", args=[redemption.pk])
    phone = login(resident.user)
    assert phone.get(url).status_code == 405
    assert login(other_resident.user).post(url).status_code in (403, 404)
    response = phone.post(url)
    assert response.status_code == 302 and response.url == reverse("timebank:home")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已取消。"]
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.CANCELLED
