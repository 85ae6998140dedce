"""Encounters (lượt khám chữa bệnh) from table XML1 of QĐ 130/QĐ-BYT, pseudonymised on ingest."""

from django.contrib.gis.db import models

from gisioc.geo.models import AdminUnit, Facility
from gisioc.ingest.models import SourcedRecord

# Diagnoses the disease watch reads (dengue, hand-foot-mouth, measles, influenza, cholera, …).
NOTIFIABLE_PREFIXES = ("A00", "A01", "A90", "A91", "A92", "B05", "B08.4", "J09", "J10", "J11")


class Encounter(SourcedRecord):
    """One encounter (lượt KCB) at a health facility, placed at the facility, counted in its
    commune on `locate_on` (the admitted day).

    The patient is only `patient_key`, the HMAC-SHA256 of the hospital's patient code (MA_BN)
    under the key `key_id`; name, ID card, insurance card, birth date, address and phone never
    reach this table (only `age_band`, `sex`, `insured` and the commune of residence).
    """

    personal_fields = frozenset({"patient_key"})

    class Sex(models.TextChoices):
        MALE = "m", "Nam / Male"
        FEMALE = "f", "Nữ / Female"
        UNKNOWN = "", "Chưa rõ / Unknown"

    class AgeBand(models.TextChoices):
        UNDER_5 = "0-4", "0–4 tuổi / 0–4 years"
        CHILD = "5-14", "5–14 tuổi / 5–14 years"
        YOUTH = "15-24", "15–24 tuổi / 15–24 years"
        ADULT = "25-44", "25–44 tuổi / 25–44 years"
        MIDDLE = "45-64", "45–64 tuổi / 45–64 years"
        OLD = "65+", "Từ 65 tuổi / 65 years and over"
        UNKNOWN = "", "Chưa rõ / Unknown"

    class Care(models.TextChoices):
        OUTPATIENT = "outpatient", "Ngoại trú, khám bệnh / Outpatient"
        INPATIENT = "inpatient", "Nội trú / Inpatient"
        DAY_PATIENT = "day_patient", "Nội trú ban ngày / Day patient"

    class Outcome(models.TextChoices):
        CURED = "cured", "Khỏi / Cured"
        IMPROVED = "improved", "Đỡ / Improved"
        UNCHANGED = "unchanged", "Không thay đổi / Unchanged"
        WORSE = "worse", "Nặng hơn / Worse"
        DIED = "died", "Tử vong / Died"
        UNKNOWN = "unknown", "Chưa xác định / Unknown"

    class Discharge(models.TextChoices):
        HOME = "home", "Ra viện / Discharged"
        REFERRED = "referred", "Chuyển tuyến / Referred"
        ABSCONDED = "absconded", "Trốn viện / Absconded"
        REQUESTED = "requested", "Xin ra viện / Left on request"
        NONE = "", "Chưa ra viện / Not discharged"

    facility = models.ForeignKey(
        Facility,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"kind": Facility.Kind.HEALTH},
        related_name="encounters",
        db_index=False,  # the (facility, admitted_at) index serves
    )
    facility_code = models.CharField(max_length=40, help_text="MA_CSKCB as sent.")
    patient_key = models.CharField(max_length=64, help_text="HMAC-SHA256 of MA_BN, hex.")
    key_id = models.SmallIntegerField(help_text="Id of the key that made patient_key.")
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    age_band = models.CharField(max_length=5, choices=AgeBand.choices, blank=True)
    residence_code = models.CharField(max_length=10, blank=True, help_text="MAXA_CU_TRU as sent.")
    residence = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    care = models.CharField(max_length=12, choices=Care.choices)
    care_code = models.CharField(max_length=2, blank=True, help_text="MA_LOAI_KCB as sent.")
    emergency = models.BooleanField(default=False)
    diagnosis = models.CharField(max_length=10, help_text="MA_BENH_CHINH, ICD-10 ('B08.4').")
    chapter = models.CharField(max_length=5, blank=True, help_text="ICD-10 chapter, 'I'..'XXII'.")
    other_diagnoses = models.CharField(max_length=200, blank=True, help_text="MA_BENH_KT, ';'.")
    admitted_at = models.DateTimeField(help_text="NGAY_VAO")
    discharged_at = models.DateTimeField(null=True, blank=True, help_text="NGAY_RA")
    treatment_days = models.IntegerField(null=True, blank=True, help_text="SO_NGAY_DTRI")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.UNKNOWN)
    discharge = models.CharField(max_length=10, choices=Discharge.choices, blank=True)
    insured = models.BooleanField(default=False, help_text="Under health insurance (BHYT).")
    total_cost = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    insurance_paid = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)

    class Meta(SourcedRecord.Meta):
        indexes = [
            models.Index(fields=["admitted_at"]),
            models.Index(fields=["facility", "admitted_at"]),
            models.Index(fields=["residence", "admitted_at"]),
            # Search is by prefix of MA_LK ('2026...').
            models.Index(
                fields=["external_id"],
                opclasses=["varchar_pattern_ops"],
                name="encounter_malk_prefix",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} ({self.facility_code}, {self.diagnosis})"


from gisioc.health.stats import *  # noqa: E402, F403
