"""The background task that sends one queued email through GOV.UK Notify."""

from django.tasks import task


@task(queue_name="emails")
def email_send(*, email_id: str) -> None:
    # Implemented in the email worker change.
    raise NotImplementedError
