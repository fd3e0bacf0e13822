"""Pages of the programme app: thin views over selectors and services."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shequ.views import paginate

from . import selectors

# --- Coverage ---------------------------------------------------------------------


@login_required
def coverage(request):
    selectors.require_coverage_viewer(request.user)
    year = selectors.parse_year(request.GET.get("year"))
    districts = selectors.districts_in_scope(request.user)
    district = districts.filter(pk=request.GET.get("district")).first() if request.GET.get(
        "district", "").isdigit() else None
    report = selectors.coverage_report(user=request.user, year=year, district=district)
    page = paginate(request, selectors.uncovered_communities(user=request.user, year=year, district=district))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "programme/coverage.html", {
        "report": report,
        "page": page,
        "query": query.urlencode(),
        "years": list(selectors.coverage_years())[::-1],
        "districts": districts,
        "map_data": [{"name": row.name, "value": float(row.percent) if row.percent is not None else None,
                      "covered": row.covered, "total": row.total} for row in report.districts],
    })
