"""GET /tiles/table/{layer}.csv: the rows behind a map layer (a choropleth's table)."""

import csv
import io

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from tiles.choropleth import LEGEND_PARAMS, choice_params, choropleth
from tiles.requests import filters_from, layer_for, scope_for
from tiles.sql import source_conditions


@require_GET
def table_csv(request: HttpRequest, layer_id: str) -> HttpResponse:
    """The layer's exposed properties per feature, with the choropleth class when it has one."""
    layer = layer_for(request, layer_id)
    filters = filters_from(request, layer, extra=LEGEND_PARAMS)
    scope = scope_for(request, layer)
    conditions, params = source_conditions(layer, filters, scope)
    columns = ", ".join(f'"{layer.column(p)}"' for p in layer.properties)
    order = "code" if "code" in layer.properties else layer.column(layer.id_field)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {layer.model._meta.db_table} s "
            f"WHERE {' AND '.join(conditions)} ORDER BY {order}",
            params,
        )
        rows = cursor.fetchall()
    header = list(layer.properties)
    if layer.classification:
        indicator, method, classes, manual = choice_params(request, layer)
        result = choropleth(
            layer,
            indicator=indicator,
            method=method,
            classes=classes,
            manual=manual,
            filters=filters,
            scope=scope,
        )
        at = header.index(indicator)
        header.append(f"class_{method}")
        rows = [
            (*row, 1 + sum(1 for b in result["breaks"] if row[at] is not None and row[at] >= b))
            for row in rows
        ]
    out = io.StringIO()
    out.write("\ufeff")  # a BOM, so spreadsheet software reads the Vietnamese as UTF-8
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return HttpResponse(
        out.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{layer.id}.csv"'},
    )
