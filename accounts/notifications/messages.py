"""The wording of the email notification questions' errors, shared by the form and the service."""

FREQUENCY_REQUIRED = "Select how often you want to get emails"
TOPICS_REQUIRED = "Select what changes you want to be notified about"
