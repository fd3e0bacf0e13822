"""The e-mail outbox: a notification's mail is a row written with the change, sent
once by a worker, kept when the broker is down, retried with backoff when SMTP fails."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from notifications import outbox
from notifications.models import Notification, NotificationPreference, OutboxMessage
from notifications.services import notify
from notifications.tasks import deliver_outbox

KIND = "report_ready"  # registered by reports


@pytest.fixture
def reader(cast):
    user = cast["city_bureau"]
    user.email = "bureau@example.com"
    user.save(update_fields=["email"])
    return user


def test_notify_writes_the_mail_in_the_callers_transaction(reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (notification,) = notify(users=[reader], kind=KIND, title="报表已生成", body="正文", url="/reports/1/")
    message = OutboxMessage.objects.get()
    assert (message.status, message.recipient, message.notification) == ("pending", reader.email, notification)
    assert message.subject == "[社区营造] 报表已生成" and message.body.endswith("/reports/1/")
    assert len(callbacks) == 1  # the worker is asked only after the commit


def test_a_rolled_back_change_sends_nothing(reader):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(users=[reader], kind=KIND, title="不会发出")
        raise RuntimeError
    assert not OutboxMessage.objects.exists() and not Notification.objects.exists()


def test_muted_kinds_and_users_without_email_get_no_mail(reader, cast):
    NotificationPreference.objects.create(user=reader, kind=KIND, email=False)
    no_email = cast["street"]
    notify(users=[reader, no_email], kind=KIND, title="只在站内")
    assert Notification.objects.count() == 2
    assert not OutboxMessage.objects.exists()


def test_broker_down_keeps_the_mail_pending_and_beat_delivers_it(reader, django_capture_on_commit_callbacks):
    with mock.patch.object(deliver_outbox, "delay", side_effect=OperationalError("Connection refused")), \
            django_capture_on_commit_callbacks(execute=True):
        notify(users=[reader], kind=KIND, title="决定已作出")  # no exception reaches the caller
    assert OutboxMessage.objects.get().status == "pending"
    assert mail.outbox == []

    assert deliver_outbox.apply().get() == 1  # what beat runs every minute
    message = OutboxMessage.objects.get()
    assert message.status == "sent" and message.sent_at and message.attempts == 1
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert Notification.objects.get().emailed_at == message.sent_at


def test_a_mail_is_never_sent_twice(reader):
    notify(users=[reader], kind=KIND, title="一次")
    assert outbox.deliver_pending() == 1
    assert outbox.deliver_pending() == 0
    assert len(mail.outbox) == 1


def test_a_claimed_row_is_not_claimed_again(reader):
    notify(users=[reader], kind=KIND, title="抢")
    now = timezone.now()
    pk = OutboxMessage.objects.get().pk
    assert outbox._claim(pk, now) is not None
    assert outbox._claim(pk, now) is None  # the second sender loses the conditional update
    # …until the first sender's lease has run out (it died before recording the result).
    assert outbox._claim(pk, now + outbox.LEASE + datetime.timedelta(seconds=1)) is not None


def test_the_same_key_is_written_once(reader):
    (notification,) = notify(users=[reader], kind=KIND, title="一次")
    outbox.enqueue([OutboxMessage(key=f"notification:{notification.pk}", recipient="x@example.com", subject="重复")])
    assert OutboxMessage.objects.get().subject == "[社区营造] 一次"


def test_smtp_failure_backs_off_then_gives_up(reader):
    notify(users=[reader], kind=KIND, title="退避")
    now = timezone.now()
    with mock.patch("notifications.outbox.send_mail", side_effect=ConnectionRefusedError("smtp down")):
        assert outbox.deliver_pending(now=now) == 0
        message = OutboxMessage.objects.get()
        assert (message.status, message.attempts) == ("pending", 1)
        assert message.next_attempt_at == now + datetime.timedelta(minutes=1)
        assert "smtp down" in message.last_error
        assert outbox.deliver_pending(now=now) == 0  # not due yet: nothing tried
        assert OutboxMessage.objects.get().attempts == 1
        for day in range(1, outbox.MAX_ATTEMPTS):
            outbox.deliver_pending(now=now + datetime.timedelta(days=day))
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    assert outbox.deliver_pending(now=now + datetime.timedelta(days=30)) == 0
    assert mail.outbox == []


def test_backoff_grows_and_is_capped():
    assert [outbox.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 7, 20)] == [1, 2, 4, 60, 60]
