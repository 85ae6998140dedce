"""Administrative documents (văn bản đến, văn bản đi) and the per-agency view the layer reads."""

from django.contrib.gis.db import models

from gisioc.geo.models import AdminUnit, Facility
from gisioc.ingest.models import SourcedRecord


class Document(SourcedRecord):
    """An incoming or outgoing document of an agency, placed at the agency, counted in its commune.

    `geom` is the handling agency's point, `unit` the agency's commune on `locate_on`, the
    Vietnam day the document was received (incoming) or registered for issue (outgoing).
    Documents name no citizen by field, but the summary (trích yếu) is free text that often
    does ("V/v giải quyết đơn của ông …"), so it is listed in `personal_fields`: no public
    layer may carry it and the public KPI API never reads it; only the signed-in, scoped
    document list shows it.
    """

    personal_fields = frozenset({"summary"})

    class Direction(models.TextChoices):
        INCOMING = "incoming", "Văn bản đến / Incoming"
        OUTGOING = "outgoing", "Văn bản đi / Outgoing"

    class Type(models.TextChoices):
        CONG_VAN = "cong_van", "Công văn / Official letter"
        QUYET_DINH = "quyet_dinh", "Quyết định / Decision"
        TO_TRINH = "to_trinh", "Tờ trình / Submission"
        BAO_CAO = "bao_cao", "Báo cáo / Report"
        KE_HOACH = "ke_hoach", "Kế hoạch / Plan"
        THONG_BAO = "thong_bao", "Thông báo / Notice"
        GIAY_MOI = "giay_moi", "Giấy mời / Invitation"
        NGHI_QUYET = "nghi_quyet", "Nghị quyết / Resolution"
        CHI_THI = "chi_thi", "Chỉ thị / Directive"
        HUONG_DAN = "huong_dan", "Hướng dẫn / Guidance"
        CONG_DIEN = "cong_dien", "Công điện / Urgent dispatch"
        BIEN_BAN = "bien_ban", "Biên bản / Minutes"
        KHAC = "khac", "Loại khác / Other"

    class Status(models.TextChoices):
        RECEIVED = "received", "Chờ xử lý / Awaiting handling"
        IN_PROGRESS = "in_progress", "Đang xử lý / In progress"
        COMPLETED = "completed", "Đã xử lý / Completed"
        ISSUED = "issued", "Đã ban hành / Issued"
        WITHDRAWN = "withdrawn", "Thu hồi, hủy / Withdrawn"

    class Urgency(models.TextChoices):
        NORMAL = "thuong", "Thường / Normal"
        URGENT = "khan", "Khẩn / Urgent"
        VERY_URGENT = "thuong_khan", "Thượng khẩn / Very urgent"
        FLASH = "hoa_toc", "Hỏa tốc / Flash"

    direction = models.CharField(max_length=8, choices=Direction.choices)
    number_symbol = models.CharField(max_length=80, help_text="Số, ký hiệu, e.g. 125/UBND-VP")
    folded_symbol = models.CharField(max_length=80, editable=False)
    arrival_number = models.CharField(max_length=20, blank=True, help_text="Số đến")
    document_date = models.DateField(null=True, blank=True, help_text="Ngày văn bản")
    doc_type = models.CharField(max_length=12, choices=Type.choices, help_text="Loại văn bản")
    issuer = models.CharField(max_length=300, blank=True, help_text="Cơ quan ban hành")
    summary = models.TextField(blank=True, help_text="Trích yếu (may name citizens)")
    recipients = models.CharField(max_length=500, blank=True, help_text="Nơi nhận")
    agency = models.ForeignKey(
        Facility,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"kind": Facility.Kind.AGENCY},
        related_name="documents",
        db_index=False,  # the (agency, received_at) index serves
    )
    agency_code = models.CharField(max_length=120, blank=True, help_text="Agency as received.")
    assignee_unit = models.CharField(max_length=200, blank=True, help_text="Đơn vị xử lý")
    received_at = models.DateTimeField(help_text="Ngày đến; for outgoing, ngày vào sổ")
    due_on = models.DateField(null=True, blank=True, help_text="Hạn xử lý")
    completed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    urgency = models.CharField(max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)

    class Meta(SourcedRecord.Meta):
        indexes = [
            models.Index(fields=["received_at"]),
            models.Index(fields=["agency", "received_at"]),
            # Search is by prefix of the folded symbol ('45 qd ubnd').
            models.Index(
                fields=["folded_symbol"],
                opclasses=["varchar_pattern_ops"],
                name="document_symbol_prefix",
            ),
            # The layer's view reads only open incoming documents.
            models.Index(
                fields=["agency", "due_on"],
                condition=models.Q(direction="incoming", completed_at__isnull=True),
                name="document_open_by_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number_symbol} ({self.get_direction_display()})"


class DocumentAgencyStats(models.Model):
    """Read-only view: each active agency with its open incoming documents and overdue ones.

    Overdue means due before today in Vietnam (`gisioc_today()`), so the view changes with
    the clock as well as with the tables below.
    """

    source_tables = ("documents_document", "geo_facility")

    code = models.CharField(max_length=40)
    name = models.CharField(max_length=300)
    subtype = models.CharField(max_length=40)
    geom = models.PointField(srid=4326)
    unit = models.ForeignKey(AdminUnit, on_delete=models.DO_NOTHING, null=True, related_name="+")
    open_documents = models.IntegerField(help_text="Incoming, not completed nor withdrawn.")
    overdue_documents = models.IntegerField(help_text="Open and due before today.")
    overdue_pct = models.FloatField(null=True, help_text="Overdue of open, %.")

    class Meta:
        managed = False
        db_table = "gisioc_document_agency_stats"
