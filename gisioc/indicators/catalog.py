"""The indicator catalogue gisioc ships: written into the table once (`catalog_sync`), then
the administrators' to edit. A code already in the table is never overwritten."""

from dataclasses import dataclass

from gisioc.texts import Text

POPULATION = "population"  # the weight of rates and the denominator of per-capita maps


@dataclass(frozen=True)
class Spec:
    """An indicator as the catalogue declares it (fields of `models.Indicator`)."""

    code: str
    name: Text
    unit: Text
    domain: str
    period_type: str = "year"
    combine: str = "sum"
    weight: str | None = None
    per_capita: int | None = None
    higher_is_better: bool | None = None
    source: str = "statistics"
    decimals: int = 0
    aliases: tuple[str, ...] = ()
    headline: bool = False


PEOPLE = Text("người", "people")
PERCENT = Text("%", "%")

CATALOG: tuple[Spec, ...] = (
    Spec(
        POPULATION,
        Text("Dân số trung bình", "Average population"),
        PEOPLE,
        "population",
        aliases=("dân số", "dan so trung binh", "tổng dân số", "số dân"),
        headline=True,
    ),
    Spec(
        "births",
        Text("Số trẻ sinh ra", "Births"),
        PEOPLE,
        "population",
        per_capita=1000,
        aliases=("số trẻ sinh", "trẻ em sinh ra"),
    ),
    Spec(
        "poverty_rate",
        Text("Tỷ lệ hộ nghèo", "Poor households"),
        PERCENT,
        "social",
        combine="mean",
        weight=POPULATION,
        higher_is_better=False,
        source="labour",
        decimals=2,
        aliases=("tỷ lệ hộ nghèo (%)", "hộ nghèo"),
        headline=True,
    ),
)


def catalog_sync(indicator_model: type | None = None) -> int:
    """Add the catalogue's indicators missing from the table; how many were added (a
    migration passes its historical model)."""
    if indicator_model is None:
        from gisioc.indicators.models import Indicator as indicator_model
    Indicator = indicator_model
    have = set(Indicator.objects.values_list("code", flat=True))
    added = 0
    for order, spec in enumerate(CATALOG, start=1):
        if spec.code in have:
            continue
        Indicator.objects.create(
            code=spec.code,
            name_vi=spec.name.vi,
            name_en=spec.name.en,
            unit_vi=spec.unit.vi,
            unit_en=spec.unit.en,
            domain=spec.domain,
            period_type=spec.period_type,
            combine=spec.combine,
            weight=Indicator.objects.filter(code=spec.weight).first() if spec.weight else None,
            per_capita=spec.per_capita,
            higher_is_better=spec.higher_is_better,
            source=spec.source,
            decimals=spec.decimals,
            aliases=list(spec.aliases),
            order=order * 10,
            headline=spec.headline,
        )
        added += 1
    return added
