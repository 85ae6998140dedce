"""The demo's district figures year by year and the targets the People's Council set for them.

Invented but plausible for a district of 127,000 people in Quảng Nam: Covid years (2020–2021)
missed most targets, land-use fees boomed in 2021–2022 and collapsed in 2023, the poverty rate
jumped when the end-2021 review used the 2022–2025 multidimensional standard (Decree
07/2021/NĐ-CP). From 2025 the figures are the four new communes' together; the year is an
estimate until the year-end report (`demo.SNAPSHOT`).
"""

Path = dict[int, float]


def _years(*values: float) -> Path:
    return dict(zip(range(2020, 2020 + len(values)), values, strict=True))


# District values of the commune-level indicators (weighted means, or totals) and the targets
# of the yearly resolution on the socio-economic plan (Nghị quyết HĐND về kế hoạch KT-XH).
PATHS: dict[str, Path] = {
    "poverty_rate": _years(2.6, 4.9, 3.9, 2.9, 2.0, 1.3, 0.9),
    "near_poor_rate": _years(3.4, 4.6, 4.1, 3.5, 2.9, 2.3, 1.9),
    "income_per_capita": _years(45.2, 46.0, 52.8, 57.4, 62.5, 68.0, 73.5),
    "jobs_created": _years(1200, 1050, 1700, 1650, 1750, 1830, 1920),
    "trained_labour": _years(58.5, 60.2, 62.6, 64.5, 66.3, 68.0, 69.6),
    "health_insurance": _years(88.9, 90.1, 90.8, 91.6, 92.3, 93.0, 93.6),
    "clean_water": _years(62.0, 65.0, 68.5, 71.0, 74.0, 77.0, 79.5),
    "output_agriculture": _years(1182.0, 1216.5, 1248.0, 1297.3, 1331.8, 1376.0, 1412.5),
    "output_industry": _years(3950.0, 4052.4, 4561.7, 4820.3, 5290.6, 5804.2, 6298.0),
    "output_services": _years(2850.0, 2698.5, 3302.1, 3705.8, 4101.2, 4503.6, 4948.7),
}
TARGETS: dict[str, Path] = {
    "poverty_rate": _years(3.0, 5.0, 4.0, 2.7, 2.1, 1.5, 1.0),  # 2023 missed (lower is better)
    "near_poor_rate": _years(3.5, 4.8, 4.0, 3.5, 3.0, 2.5, 2.0),
    "income_per_capita": _years(48.0, 50.0, 52.0, 58.0, 62.0, 67.0, 74.0),
    "jobs_created": _years(1500, 1400, 1500, 1600, 1700, 1800, 1900),
    "trained_labour": _years(60.0, 61.0, 62.0, 64.0, 66.0, 68.0, 70.0),
    "health_insurance": _years(90.0, 90.5, 91.0, 91.5, 92.0, 93.0, 93.5),
    "clean_water": _years(60.0, 64.0, 68.0, 72.0, 74.0, 76.0, 80.0),
    "output_agriculture": _years(1200.0, 1230.0, 1240.0, 1290.0, 1320.0, 1370.0, 1420.0),
    "output_industry": _years(4300.0, 4500.0, 4500.0, 5000.0, 5250.0, 5700.0, 6400.0),
    "output_services": _years(3100.0, 3000.0, 3200.0, 3650.0, 4050.0, 4500.0, 5000.0),
    "rice_yield": _years(57.5, 58.0, 58.5, 58.5, 59.0, 59.5, 60.0),
    "grdp_growth": _years(8.0, 6.5, 7.0, 7.5, 7.5, 8.0, 9.0),
}
# Whole-area only: growth of output (constant prices), as the district reported it.
GRDP_GROWTH = _years(2.4, 1.8, 9.1, 6.4, 7.7, 8.3, 8.6)
# Population: the plan's figure over what came, rounded to hundreds (births fell faster than
# planned in 2021–2022 and 2026).
POPULATION_TARGET = _years(0.998, 1.003, 1.002, 0.999, 0.999, 0.998, 1.001)

# Budget (tỷ đồng): actual and estimate (dự toán) by item; the totals include other revenue
# (thu khác) and other spending (reserve, transfers) not itemised here.
REVENUE = {
    "revenue_tax": _years(142.5, 151.3, 178.6, 183.2, 196.4, 205.1, 214.0),
    "revenue_land": _years(168.0, 236.4, 312.7, 118.5, 164.3, 176.8, 150.0),
    "revenue_fees": _years(14.2, 13.1, 15.8, 16.4, 17.3, 17.9, 16.5),
}
REVENUE_OTHER = _years(21.0, 19.6, 22.3, 20.1, 21.7, 22.4, 20.0)
REVENUE_ESTIMATE = {
    "revenue_tax": _years(150.0, 155.0, 165.0, 180.0, 190.0, 200.0, 220.0),
    "revenue_land": _years(190.0, 170.0, 220.0, 260.0, 200.0, 170.0, 190.0),
    "revenue_fees": _years(15.0, 14.5, 15.0, 16.0, 17.0, 18.0, 18.5),
}
REVENUE_OTHER_ESTIMATE = _years(20.0, 20.0, 20.0, 24.0, 23.0, 22.0, 21.5)
SPENDING = {
    "spending_investment": _years(182.0, 205.7, 268.4, 214.6, 241.3, 256.0, 238.0),
    "spending_recurrent": _years(468.5, 479.2, 496.8, 530.1, 561.7, 580.4, 545.0),
}
SPENDING_OTHER = _years(14.8, 17.7, 16.7, 15.5, 18.0, 16.7, 15.0)
SPENDING_ESTIMATE = {
    "spending_investment": _years(210.0, 190.0, 230.0, 280.0, 250.0, 260.0, 270.0),
    "spending_recurrent": _years(455.0, 470.0, 490.0, 520.0, 555.0, 575.0, 560.0),
}
SPENDING_OTHER_ESTIMATE = _years(15.0, 15.0, 15.0, 15.0, 15.0, 15.0, 15.0)


def totals(items: dict[str, Path], other: Path) -> Path:
    """The yearly total of the items and the rest."""
    return {year: round(sum(p[year] for p in items.values()) + other[year], 1) for year in other}
