"""Ids-first pagination: a page costs the same at 2,000 rows and at 2,000,000.

A list query with `select_related` joins and orderings makes the database join every
row before it can cut the 25 it shows. Here the page's primary keys are fetched first
with a narrow query (the ordering columns only, which an index covers), then the rows
with their joins and prefetches by `pk IN (…)`, put back in page order in Python.
Pages and the API use the same paginator.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination


class PageRows:
    """The rows of one page, fetched on first use (like a sliced queryset)."""

    def __init__(self, queryset: QuerySet, start: int, stop: int):
        self.queryset, self.start, self.stop = queryset, start, stop
        self._rows = None

    def _fetch(self):
        if self._rows is None:
            ids = list(self.queryset.values_list("pk", flat=True)[self.start:self.stop])
            by_pk = {row.pk: row for row in self.queryset.order_by().filter(pk__in=ids)} if ids else {}
            self._rows = [by_pk[pk] for pk in ids if pk in by_pk]
        return self._rows

    def __len__(self):
        return len(self._fetch())

    def __iter__(self):
        return iter(self._fetch())

    def __getitem__(self, index):
        return self._fetch()[index]

    def __bool__(self):
        return bool(self._fetch())


def page_rows(queryset, start: int, stop: int):
    if isinstance(queryset, QuerySet) and not queryset.query.is_sliced:
        return PageRows(queryset, start, stop)
    return queryset[start:stop]


class IdsFirstPaginator(Paginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(page_rows(self.object_list, bottom, top), number, self)


class IdsFirstPagination(PageNumberPagination):
    """DRF's page-number pagination with the ids-first paginator."""

    django_paginator_class = IdsFirstPaginator

    def paginate_queryset(self, queryset, request, view=None):
        rows = super().paginate_queryset(queryset, request, view)
        return list(rows) if rows is not None else None
