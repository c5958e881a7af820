import datetime

from django.db import models
from django.utils import timezone


class AcademicYear(models.Model):
    """An academic year, from 1 August to 31 July, named by the year it starts in."""

    start_year = models.PositiveSmallIntegerField(primary_key=True)

    # The earliest academic year anyone is asked about: the register's data starts in 2019 to 2020.
    FIRST_START_YEAR = 2019

    class Meta:
        ordering = ["-start_year"]
        verbose_name = "academic year"

    def __str__(self):
        return f"{self.start_year} to {self.start_year + 1}"

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.start_year, 8, 1)

    @property
    def ends_on(self) -> datetime.date:
        return datetime.date(self.start_year + 1, 7, 31)

    @staticmethod
    def start_year_of(day: datetime.date) -> int:
        return day.year if day.month >= 8 else day.year - 1

    @classmethod
    def current_start_year(cls) -> int:
        return cls.start_year_of(timezone.localdate())
