"""Encounter KPIs (lượt khám chữa bệnh), counted over a period of Vietnam days:

- visits: encounters admitted in the period (NGAY_VAO); of those outpatient (khám bệnh,
  ngoại trú), inpatient (nội trú, nội trú ban ngày included), emergency, insured (BHYT)
- visits per 1,000 residents: visits admitted in the period by residents of the communes in
  view (the commune of residence, MAXA_CU_TRU, rolled up to the communes in force), per
  1,000 of their population (indicator `population`); null without a population value
- discharged: inpatient stays that ended in the period (NGAY_RA); bed-days: the sum of their
  treatment days (SO_NGAY_DTRI); average length of stay: bed-days per discharged stay
- ended: every encounter that ended in the period; referrals out: those transferred
  (chuyển tuyến); referral rate: referrals of ended; deaths: ended with outcome died

Counts of 1–4 are held back from readers who may not see encounters (SMALL;
gisioc.kpi_small), and so are the figures computed from them.
"""

from typing import Any

from django.db.models import Q, QuerySet

from gisioc import kpis as kpi
from gisioc.geo.models import Role
from gisioc.health.models import Encounter
from gisioc.texts import Text

# A figure's id is never a field's name: Django would read a later aggregate's condition on
# the field as the earlier aggregate (`emergency` is a field, `emergencies` the figure).
SMALL = 5  # HEALTH_SMALL: counts under it are held back from the public
# Who reads encounters and exact figures: health data is sensitive (commune officers, field
# staff and GIS officers read what the public reads).
ROLES = frozenset({Role.LEADER, Role.PLANNER, Role.ADMIN})
Care = Encounter.Care
ADMITTED = (Care.INPATIENT, Care.DAY_PATIENT)
# ICD-10 chapters (the Ministry of Health's Vietnamese titles).
CHAPTERS = {
    "I": Text("Bệnh nhiễm trùng và ký sinh trùng", "Infectious and parasitic diseases"),
    "II": Text("Bướu tân sinh", "Neoplasms"),
    "III": Text("Bệnh máu, cơ quan tạo máu và miễn dịch", "Blood and immune disorders"),
    "IV": Text("Bệnh nội tiết, dinh dưỡng và chuyển hóa", "Endocrine and metabolic diseases"),
    "V": Text("Rối loạn tâm thần và hành vi", "Mental and behavioural disorders"),
    "VI": Text("Bệnh hệ thần kinh", "Diseases of the nervous system"),
    "VII": Text("Bệnh mắt và phần phụ", "Diseases of the eye"),
    "VIII": Text("Bệnh tai và xương chũm", "Diseases of the ear"),
    "IX": Text("Bệnh hệ tuần hoàn", "Diseases of the circulatory system"),
    "X": Text("Bệnh hệ hô hấp", "Diseases of the respiratory system"),
    "XI": Text("Bệnh hệ tiêu hóa", "Diseases of the digestive system"),
    "XII": Text("Bệnh da và mô dưới da", "Diseases of the skin"),
    "XIII": Text("Bệnh hệ cơ, xương, khớp", "Musculoskeletal diseases"),
    "XIV": Text("Bệnh hệ tiết niệu, sinh dục", "Genitourinary diseases"),
    "XV": Text("Thai nghén, sinh đẻ và hậu sản", "Pregnancy and childbirth"),
    "XVI": Text("Bệnh lý thời kỳ chu sinh", "Perinatal conditions"),
    "XVII": Text("Dị tật bẩm sinh", "Congenital malformations"),
    "XVIII": Text("Triệu chứng, dấu hiệu bất thường", "Symptoms and abnormal findings"),
    "XIX": Text("Vết thương, ngộ độc", "Injury and poisoning"),
    "XX": Text("Nguyên nhân bên ngoài", "External causes"),
    "XXI": Text("Yếu tố ảnh hưởng sức khỏe", "Factors influencing health status"),
    "XXII": Text("Mã dành cho mục đích đặc biệt", "Codes for special purposes"),
}
CHAPTER_LABELS = {k: Text(f"{k}. {t.vi}", f"{k}. {t.en}") for k, t in CHAPTERS.items()}


def _admitted(b: kpi.Bounds) -> Q:
    return b.within("admitted_at")


def _ended(b: kpi.Bounds) -> Q:
    return b.within("discharged_at")


def _stays_ended(b: kpi.Bounds) -> Q:
    return _ended(b) & Q(care__in=ADMITTED)


def _watch(section: Any, scope: Any, public: bool) -> None:
    """The profile section's disease-watch table (gisioc.health.profile)."""
    from gisioc.health.profile import watch_table

    watch_table(section, scope, public)


def _that_count(encounters: QuerySet[Encounter], b: kpi.Bounds) -> QuerySet[Encounter]:
    """Only encounters that can count: admitted before the end, and admitted or ended in the
    period (an encounter ends after it starts: ingest refuses the other order)."""
    return encounters.filter(
        Q(admitted_at__lt=b.end) & (Q(admitted_at__gte=b.start) | Q(discharged_at__gte=b.start))
    )


def _month(r: dict) -> dict:
    return {
        "visits": r["n"],
        "inpatient": r["inpatient"],
        "insured_share": kpi.share(r["insured_visits"], r["n"]),
    }


KPIS = kpi.register_kpis(
    kpi.KpiSet(
        record="encounter",
        model=Encounter,
        received="admitted_at",
        figures=(
            # The first two are what the district profile shows for each commune.
            kpi.Counted(id="visits", title=Text("Lượt khám chữa bệnh", "Visits"), when=_admitted),
            kpi.PerPopulation(
                id="visits_per_1000",
                title=Text(
                    "Lượt khám trên 1.000 dân (theo nơi cư trú)", "Visits per 1,000 residents"
                ),
                unit=Text("lượt/1.000 dân", "per 1,000 residents"),
                field="residence",
                when=_admitted,
            ),
            kpi.Counted(
                id="outpatient",
                title=Text("Khám bệnh, ngoại trú", "Outpatient"),
                when=lambda b: _admitted(b) & Q(care=Care.OUTPATIENT),
            ),
            kpi.Counted(
                id="inpatient",
                title=Text("Điều trị nội trú (cả ban ngày)", "Inpatient (day patients included)"),
                when=lambda b: _admitted(b) & Q(care__in=ADMITTED),
            ),
            kpi.Counted(
                id="emergencies",
                title=Text("Cấp cứu", "Emergency"),
                when=lambda b: _admitted(b) & Q(emergency=True),
            ),
            kpi.Summed(
                id="bed_days",
                title=Text("Ngày điều trị nội trú (ra viện trong kỳ)", "Bed-days (stays ended)"),
                unit=Text("ngày", "days"),
                field="treatment_days",
                when=lambda b: _stays_ended(b) & Q(treatment_days__isnull=False),
            ),
            kpi.Ratio(
                id="average_stay",
                title=Text("Số ngày điều trị nội trú bình quân", "Average length of stay"),
                unit=Text("ngày", "days"),
                of="bed_days",
                per="discharged",
            ),
            kpi.Counted(
                id="referrals",
                title=Text("Chuyển tuyến đi", "Referrals out"),
                when=lambda b: _ended(b) & Q(discharge=Encounter.Discharge.REFERRED),
            ),
            kpi.Rate(
                id="referral_rate",
                title=Text("Tỷ lệ chuyển tuyến", "Referral rate"),
                part=("referrals",),
                whole="ended",
            ),
            kpi.Rate(
                id="insured_share",
                title=Text("Tỷ lệ có BHYT", "Insured share"),
                part=("insured_visits",),
                whole="visits",
            ),
            kpi.Counted(
                id="deaths",
                title=Text("Tử vong", "Deaths"),
                when=lambda b: _ended(b) & Q(outcome=Encounter.Outcome.DIED),
            ),
            kpi.Counted(
                id="discharged",
                title=Text("Ra viện (nội trú)", "Inpatient stays ended"),
                when=lambda b: _stays_ended(b) & Q(treatment_days__isnull=False),
                profile=False,
            ),
            kpi.Counted(
                id="ended",
                title=Text("Kết thúc khám chữa bệnh", "Encounters ended"),
                when=_ended,
                profile=False,
            ),
            kpi.Counted(
                id="insured_visits",
                title=Text("Có BHYT", "Insured"),
                when=lambda b: _admitted(b) & Q(insured=True),
                profile=False,
            ),
        ),
        groups={
            "facility": kpi.Group("facility_id", "facility__name"),
            "residence": kpi.Group("residence_id", "residence__name", residents=True),
            "unit": kpi.Group("unit_id", "unit__name"),
            "chapter": kpi.Group(
                "chapter", "chapter", {k: f"{t.vi} / {t.en}" for k, t in CHAPTER_LABELS.items()}
            ),
            "care": kpi.Group("care", "care", dict(Care.choices)),
        },
        keep=("visits", "ended"),
        filters=(
            kpi.RecordFilter("facility", "facility__code", "Health facility code (mã CSKCB)"),
            kpi.RecordFilter("care", "care", "Hình thức điều trị / care", tuple(Care.values)),
            kpi.RecordFilter("chapter", "chapter", "ICD-10 chapter", tuple(CHAPTERS)),
            kpi.RecordFilter(
                "diagnosis", "diagnosis__startswith", "ICD-10 code or its prefix ('A9', 'B08.4')"
            ),
        ),
        monthly=(
            kpi.Monthly(
                "admitted_at",
                {"n": None, "inpatient": Q(care__in=ADMITTED), "insured_visits": Q(insured=True)},
                _month,
            ),
        ),
        series=(
            ("visits", Text("Lượt khám chữa bệnh theo tháng", "Visits by month")),
            ("inpatient", Text("Điều trị nội trú theo tháng", "Inpatients by month")),
            ("insured_share", Text("Tỷ lệ có BHYT theo tháng", "Insured share by month")),
        ),
        breakdown=kpi.Breakdown(
            "encounters_by_chapter",
            Text("Lượt khám theo chương bệnh ICD-10", "Visits by ICD-10 chapter"),
            "chapter",
            limit=8,
            labels=CHAPTER_LABELS,
        ),
        breakdowns=(
            kpi.Breakdown(
                "encounters_by_diagnosis",
                Text("Mã bệnh chính thường gặp (ICD-10)", "Top diagnoses (ICD-10)"),
                "diagnosis",
                limit=10,
            ),
        ),
        narrow=_that_count,
        fields=(
            "id",
            "name",
            "source",
            "external_id",
            "facility_code",
            "facility_name",
            "sex",
            "age_band",
            "residence_code",
            "residence_name",
            "care",
            "care_code",
            "emergency",
            "diagnosis",
            "chapter",
            "other_diagnoses",
            "admitted_at",
            "discharged_at",
            "treatment_days",
            "outcome",
            "discharge",
            "insured",
            "total_cost",
            "insurance_paid",
        ),
        name_field="diagnosis",
        related={"facility_name": "facility.name", "residence_name": "residence.name"},
        small=SMALL,
        roles=ROLES,
        profile_more=_watch,
    )
)
