"""The shipped catalogue: coherent specs, and a sync that adds what is missing and never
overwrites what an administrator changed."""

import pytest

from gisioc.indicators.catalog import CATALOG, HEADLINE, POPULATION, catalog_sync
from gisioc.indicators.models import Indicator

SPECS = {spec.code: spec for spec in CATALOG}


def test_the_catalogue_is_coherent() -> None:
    assert len(SPECS) == len(CATALOG) >= 30
    assert {"population", "births", "poverty_rate"} <= set(SPECS)  # migration 0002's codes
    assert 6 <= len(HEADLINE) <= 8
    choices = {
        "domain": set(Indicator.Domain.values),
        "combine": set(Indicator.Combine.values),
        "period_type": set(Indicator.PeriodType.values),
        "source": set(Indicator.Source.values),
    }
    for position, spec in enumerate(CATALOG):
        for name, allowed in choices.items():
            assert getattr(spec, name) in allowed, (spec.code, name)
        assert spec.name.vi != spec.name.en and spec.unit.vi and spec.unit.en, spec.code
        if spec.combine in ("mean", "rate"):
            weight = SPECS[spec.weight]  # a weight is declared, and before its users
            assert CATALOG.index(weight) < position, spec.code
            assert weight.period_type == "year" and weight.combine == "sum", spec.code
            assert spec.per_capita is None, spec.code
        else:
            assert spec.weight is None, spec.code
        if spec.combine == "none" or spec.unit.vi in ("%", "‰"):
            assert spec.per_capita is None, spec.code
    assert SPECS["births"].per_capita == 1000
    covid = [spec for spec in CATALOG if spec.domain == "covid"]
    assert len(covid) == 5
    assert {(s.period_type, s.combine, s.per_capita) for s in covid} == {("day", "sum", 100_000)}
    assert SPECS["poverty_rate"].higher_is_better is False
    assert (SPECS["grdp_growth"].combine, SPECS["rice_yield"].weight) == ("none", "rice_area")
    domains = {spec.domain for spec in CATALOG}
    assert domains == set(Indicator.Domain.values)


@pytest.mark.django_db
def test_the_sync_adds_what_is_missing_and_keeps_admin_edits() -> None:
    Indicator.objects.filter(code=POPULATION).update(
        name_vi="Dân số (sửa)", headline=False, per_capita=None, order=999
    )
    Indicator.objects.filter(code="clean_water").delete()
    assert catalog_sync() == 1
    population = Indicator.objects.get(code=POPULATION)
    assert (population.name_vi, population.headline, population.order) == (
        "Dân số (sửa)",
        False,
        999,
    )
    water = Indicator.objects.get(code="clean_water")
    assert water.name_vi == SPECS["clean_water"].name.vi
    assert (water.weight.code, water.higher_is_better, water.headline) == (POPULATION, True, True)
    assert catalog_sync() == 0
    assert Indicator.objects.count() == len(CATALOG)


@pytest.mark.django_db
def test_the_migrated_catalogue_has_every_spec_with_its_weight() -> None:
    stored = {i.code: i for i in Indicator.objects.select_related("weight")}
    assert set(stored) == set(SPECS)
    for code, spec in SPECS.items():
        row = stored[code]
        assert (row.weight.code if row.weight else None) == spec.weight, code
        assert (row.combine, row.period_type, row.per_capita) == (
            spec.combine,
            spec.period_type,
            spec.per_capita,
        ), code
        assert row.aliases == list(spec.aliases), code


@pytest.mark.django_db
def test_the_catalogue_comes_back_after_a_flush() -> None:
    from django.core.management.sql import emit_post_migrate_signal

    Indicator.objects.update(weight=None)
    Indicator.objects.all().delete()  # as a flush's TRUNCATE leaves it (e2e tests)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert Indicator.objects.count() == len(CATALOG)
