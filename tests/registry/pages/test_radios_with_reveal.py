"""`RadiosWithReveal`: a radio option that reveals a further question, drawn inside that option."""

from django import forms

from registry.pages.widgets import RadiosWithReveal, bind_reveals, is_revealed


class WhenForm(forms.Form):
    when = forms.ChoiceField(
        choices=[("today", "Today"), ("another_day", "Another day")],
        widget=RadiosWithReveal(reveals={"another_day": "day"}),
    )
    day = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bind_reveals(self)


def test_the_option_carries_the_question_it_reveals_and_only_that_option():
    form = WhenForm()

    today, another_day = form["when"].subwidgets

    assert another_day.data["attrs"]["reveal"] is form["day"]
    assert another_day.data["attrs"]["reveal_id"] == "id_when_1-conditional"
    assert "reveal" not in today.data["attrs"]


def test_the_revealed_question_is_not_asked_again_on_its_own():
    form = WhenForm()

    assert is_revealed(form["day"])
    assert not is_revealed(form["when"])


def test_each_form_reveals_its_own_bound_question():
    first, second = WhenForm(), WhenForm({"when": "another_day", "day": "3"})

    assert first.fields["when"].widget.revealed["another_day"].form is first
    assert second.fields["when"].widget.revealed["another_day"].form is second
    assert second.fields["when"].widget.revealed["another_day"].value() == "3"
