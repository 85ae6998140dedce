"""The indicator catalogue gisioc ships: written into the table after every migrate (and a
test's flush) by `catalog_sync`, then the administrators' to edit. A code already in the table
is never overwritten; one deleted comes back at the next migrate (untick `headline` instead)."""

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
PER_MILLE = Text("‰", "‰")
BILLION_VND = Text("tỷ đồng", "billion VND")
CASES = Text("ca", "cases")
COVID = 100_000  # Covid figures per 100,000 residents, as the Ministry of Health gives them

# Written as a district statistics office writes its tables. Headline indicators (the
# dashboard's) each have yearly targets in the demo. Means and rates are weighted by
# population unless the weight is named; an indicator with period type other than year cannot
# be a weight (gisioc_indicator_weight reads yearly values).
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
    Spec(
        "birth_rate",
        Text("Tỷ suất sinh thô", "Crude birth rate"),
        PER_MILLE,
        "population",
        combine="rate",
        weight=POPULATION,
        decimals=1,
        aliases=("tỷ suất sinh", "CBR"),
    ),
    Spec(
        "natural_increase",
        Text("Tỷ lệ tăng dân số tự nhiên", "Natural population increase"),
        PER_MILLE,
        "population",
        combine="rate",
        weight=POPULATION,
        decimals=1,
        aliases=("tỷ lệ tăng tự nhiên", "tăng dân số tự nhiên"),
    ),
    Spec(
        "labour_force",
        Text("Lực lượng lao động từ 15 tuổi trở lên", "Labour force aged 15 and over"),
        PEOPLE,
        "population",
        aliases=("lực lượng lao động", "số người trong độ tuổi lao động", "lao động"),
    ),
    Spec(
        "jobs_created",
        Text("Số lao động được giải quyết việc làm mới", "Workers placed in new jobs"),
        PEOPLE,
        "population",
        higher_is_better=True,
        source="labour",
        aliases=("giải quyết việc làm", "tạo việc làm mới", "lao động có việc làm mới"),
        headline=True,
    ),
    Spec(
        "trained_labour",
        Text("Tỷ lệ lao động qua đào tạo", "Trained share of the labour force"),
        PERCENT,
        "population",
        combine="mean",
        weight="labour_force",
        higher_is_better=True,
        source="labour",
        decimals=1,
        aliases=("lao động qua đào tạo", "tỷ lệ lao động qua đào tạo (%)"),
    ),
    Spec(
        "near_poor_rate",
        Text("Tỷ lệ hộ cận nghèo", "Near-poor households"),
        PERCENT,
        "social",
        combine="mean",
        weight=POPULATION,
        higher_is_better=False,
        source="labour",
        decimals=2,
        aliases=("hộ cận nghèo", "tỷ lệ hộ cận nghèo (%)"),
    ),
    Spec(
        "income_per_capita",
        Text("Thu nhập bình quân đầu người", "Average income per person"),
        Text("triệu đồng/người/năm", "million VND/person/year"),
        "economy",
        combine="mean",
        weight=POPULATION,
        higher_is_better=True,
        decimals=1,
        aliases=("thu nhập bình quân", "thu nhập bình quân đầu người/năm"),
        headline=True,
    ),
    Spec(
        "grdp_growth",
        Text("Tốc độ tăng trưởng kinh tế (giá trị sản xuất)", "Economic growth (output)"),
        PERCENT,
        "economy",
        combine="none",
        higher_is_better=True,
        source="economy",
        decimals=1,
        aliases=("tốc độ tăng trưởng", "tăng trưởng kinh tế", "tốc độ tăng GRDP", "GRDP"),
        headline=True,
    ),
    Spec(
        "output_agriculture",
        Text(
            "Giá trị sản xuất nông, lâm nghiệp và thủy sản",
            "Output of agriculture, forestry and fishery",
        ),
        BILLION_VND,
        "economy",
        higher_is_better=True,
        source="agriculture",
        decimals=1,
        aliases=("giá trị sản xuất nông nghiệp", "GTSX nông, lâm, thủy sản", "nông lâm thủy sản"),
    ),
    Spec(
        "output_industry",
        Text("Giá trị sản xuất công nghiệp – xây dựng", "Output of industry and construction"),
        BILLION_VND,
        "economy",
        higher_is_better=True,
        source="economy",
        decimals=1,
        aliases=("giá trị sản xuất công nghiệp", "GTSX công nghiệp - xây dựng", "CN-XD"),
    ),
    Spec(
        "output_services",
        Text("Giá trị sản xuất thương mại – dịch vụ", "Output of trade and services"),
        BILLION_VND,
        "economy",
        higher_is_better=True,
        source="economy",
        decimals=1,
        aliases=("giá trị sản xuất dịch vụ", "GTSX thương mại - dịch vụ", "TM-DV"),
    ),
    Spec(
        "rice_area",
        Text("Diện tích gieo trồng lúa cả năm", "Rice area sown (both seasons)"),
        Text("ha", "ha"),
        "economy",
        source="agriculture",
        decimals=1,
        aliases=("diện tích lúa", "diện tích gieo trồng lúa", "DT lúa cả năm"),
    ),
    Spec(
        "rice_yield",
        Text("Năng suất lúa bình quân cả năm", "Average rice yield"),
        Text("tạ/ha", "quintals/ha"),
        "economy",
        combine="mean",
        weight="rice_area",
        higher_is_better=True,
        source="agriculture",
        decimals=1,
        aliases=("năng suất lúa", "NS lúa bình quân"),
    ),
    Spec(
        "budget_revenue",
        Text("Tổng thu ngân sách nhà nước trên địa bàn", "State budget revenue collected"),
        BILLION_VND,
        "budget_revenue",
        higher_is_better=True,
        source="finance",
        decimals=1,
        aliases=("tổng thu ngân sách", "thu ngân sách trên địa bàn", "thu NSNN"),
        headline=True,
    ),
    Spec(
        "revenue_tax",
        Text("Thu từ thuế", "Tax revenue"),
        BILLION_VND,
        "budget_revenue",
        higher_is_better=True,
        source="finance",
        decimals=1,
        aliases=("thu thuế", "các khoản thu từ thuế"),
    ),
    Spec(
        "revenue_land",
        Text("Thu tiền sử dụng đất", "Land use fees"),
        BILLION_VND,
        "budget_revenue",
        higher_is_better=True,
        source="finance",
        decimals=1,
        aliases=("tiền sử dụng đất", "thu tiền SDĐ"),
    ),
    Spec(
        "revenue_fees",
        Text("Thu phí và lệ phí", "Fees and charges"),
        BILLION_VND,
        "budget_revenue",
        higher_is_better=True,
        source="finance",
        decimals=1,
        aliases=("phí, lệ phí", "phí và lệ phí"),
    ),
    Spec(
        "budget_spending",
        Text("Tổng chi ngân sách địa phương", "Local budget spending"),
        BILLION_VND,
        "budget_spending",
        source="finance",
        decimals=1,
        aliases=("tổng chi ngân sách", "chi ngân sách địa phương", "tổng chi NSĐP"),
    ),
    Spec(
        "spending_investment",
        Text("Chi đầu tư phát triển", "Development investment spending"),
        BILLION_VND,
        "budget_spending",
        source="finance",
        decimals=1,
        aliases=("chi đầu tư", "chi ĐTPT", "đầu tư phát triển"),
    ),
    Spec(
        "spending_recurrent",
        Text("Chi thường xuyên", "Recurrent spending"),
        BILLION_VND,
        "budget_spending",
        source="finance",
        decimals=1,
        aliases=("chi thường xuyên", "chi TX"),
    ),
    Spec(
        "schools",
        Text(
            "Số trường mầm non, tiểu học, trung học cơ sở",
            "Pre-, primary and lower-secondary schools",
        ),
        Text("trường", "schools"),
        "education",
        period_type="school_year",
        source="education",
        aliases=("số trường", "số trường học", "trường học"),
    ),
    Spec(
        "pupils",
        Text("Số học sinh đầu năm học", "Pupils at the start of the school year"),
        Text("học sinh", "pupils"),
        "education",
        period_type="school_year",
        source="education",
        aliases=("số học sinh", "học sinh", "số trẻ, học sinh"),
    ),
    Spec(
        "school_age_population",
        Text("Dân số trong độ tuổi đi học (3–17 tuổi)", "School-age population (aged 3–17)"),
        PEOPLE,
        "education",
        aliases=("dân số trong độ tuổi đi học", "dân số độ tuổi đi học", "dân số 3-17 tuổi"),
    ),
    Spec(
        "health_insurance",
        Text("Tỷ lệ dân số tham gia bảo hiểm y tế", "Health insurance coverage"),
        PERCENT,
        "health",
        combine="mean",
        weight=POPULATION,
        higher_is_better=True,
        source="health",
        decimals=1,
        aliases=("bao phủ bảo hiểm y tế", "tỷ lệ tham gia BHYT", "BHYT"),
        headline=True,
    ),
    Spec(
        "clean_water",
        Text("Tỷ lệ hộ dân sử dụng nước sạch", "Households using clean water"),
        PERCENT,
        "environment",
        combine="mean",
        weight=POPULATION,
        higher_is_better=True,
        source="agriculture",
        decimals=1,
        aliases=("nước sạch", "tỷ lệ hộ sử dụng nước sạch", "hộ dùng nước sạch"),
        headline=True,
    ),
    Spec(
        "new_rural_criteria",
        Text("Số tiêu chí nông thôn mới đạt được", "New rural criteria met"),
        Text("tiêu chí/19", "of 19 criteria"),
        "social",
        combine="none",
        higher_is_better=True,
        source="agriculture",
        aliases=("tiêu chí nông thôn mới", "số tiêu chí NTM", "nông thôn mới"),
    ),
    Spec(
        "waste_collected",
        Text("Khối lượng chất thải rắn sinh hoạt được thu gom", "Household solid waste collected"),
        Text("tấn", "tonnes"),
        "environment",
        per_capita=1000,
        source="economy",
        decimals=1,
        aliases=("rác thải được thu gom", "chất thải rắn sinh hoạt thu gom", "thu gom rác"),
    ),
    Spec(
        "covid_cases",
        Text("Số ca mắc COVID-19 mới", "New COVID-19 cases"),
        CASES,
        "covid",
        period_type="day",
        per_capita=COVID,
        higher_is_better=False,
        source="health",
        aliases=("ca mắc mới", "số ca mắc", "F0 mới", "ca nhiễm mới"),
    ),
    Spec(
        "covid_recovered",
        Text("Số ca COVID-19 khỏi bệnh", "COVID-19 recoveries"),
        CASES,
        "covid",
        period_type="day",
        per_capita=COVID,
        source="health",
        aliases=("khỏi bệnh", "số ca khỏi", "ra viện"),
    ),
    Spec(
        "covid_deaths",
        Text("Số ca tử vong do COVID-19", "COVID-19 deaths"),
        CASES,
        "covid",
        period_type="day",
        per_capita=COVID,
        higher_is_better=False,
        source="health",
        aliases=("tử vong", "số ca tử vong"),
    ),
    Spec(
        "covid_tests",
        Text("Số mẫu xét nghiệm SARS-CoV-2", "SARS-CoV-2 tests"),
        Text("mẫu", "samples"),
        "covid",
        period_type="day",
        per_capita=COVID,
        source="health",
        aliases=("xét nghiệm", "số mẫu xét nghiệm", "mẫu xét nghiệm"),
    ),
    Spec(
        "covid_doses",
        Text("Số liều vắc xin COVID-19 đã tiêm", "COVID-19 vaccine doses given"),
        Text("liều", "doses"),
        "covid",
        period_type="day",
        per_capita=COVID,
        higher_is_better=True,
        source="health",
        aliases=("số mũi tiêm", "liều vắc xin", "mũi tiêm vắc xin"),
    ),
)
HEADLINE = tuple(spec.code for spec in CATALOG if spec.headline)


def catalog_sync() -> int:
    """Add the catalogue's indicators missing from the table; how many were added."""
    from gisioc.indicators.models import Indicator

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
