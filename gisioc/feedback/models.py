"""Citizen reports (phản ánh – kiến nghị), their history and media, routing and agency staff."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from gisioc.feedback.categories import CHOICES as CATEGORY_CHOICES
from gisioc.geo.models import AdminUnit, Facility
from gisioc.ingest.models import SourcedRecord


class Report(SourcedRecord):
    """A citizen's report, placed where it happens, handled by an agency until closed.

    `geom` is the report's place, `unit` its commune on `locate_on` (the Vietnam day it was
    received). The reporter's name, phone and e-mail are for staff only (`personal_fields`);
    the public reads `public_text` (the description with phone numbers and e-mails masked on
    intake, further edited by moderators), never `description`. `external_id` is the ticket
    for reports filed here; a pushed record keeps its sender's id and gets a ticket too.
    """

    personal_fields = frozenset(
        {"reporter_name", "reporter_phone", "reporter_email", "description", "address_text"}
    )
    # The description's public copy: masked on intake, edited by moderators. Where neither
    # changed anything it equals the description, and is public by the staff's choice.
    public_copies = {"description": "public_text"}

    class Channel(models.TextChoices):
        WEB = "web", "Cổng thông tin, ứng dụng / Web and app"
        HOTLINE = "hotline", "Tổng đài 1022 / 1022 hotline"
        ZALO = "zalo", "Zalo"
        FACEBOOK = "facebook", "Facebook"
        CHATBOT = "chatbot", "Chatbot"
        EMAIL = "email", "Thư điện tử / E-mail"
        OPEN311 = "open311", "Ứng dụng Open311 / Open311 app"
        CAMERA = "camera", "Camera AI / AI camera"

    class Status(models.TextChoices):
        RECEIVED = "received", "Đã tiếp nhận / Received"
        VERIFIED = "verified", "Đã xác minh / Verified"
        REJECTED = "rejected", "Không xử lý / Rejected"
        ASSIGNED = "assigned", "Đã chuyển cơ quan xử lý / Forwarded"
        IN_PROGRESS = "in_progress", "Đang xử lý / In progress"
        RESOLVED = "resolved", "Đã xử lý / Resolved"
        PUBLISHED = "published", "Đã công khai kết quả / Result published"
        CLOSED = "closed", "Đã đóng / Closed"
        MERGED = "merged", "Gộp vào phản ánh khác / Merged"

    class Rejection(models.TextChoices):
        SPAM = "spam", "Tin rác / Spam"
        DUPLICATE = "duplicate", "Trùng lặp / Duplicate"
        OUT_OF_SCOPE = "out_of_scope", "Không thuộc phạm vi / Out of scope"

    ticket = models.CharField(
        max_length=20, unique=True, help_text="Mã phản ánh, e.g. PA-2612-7K3QX9"
    )
    category = models.CharField(max_length=24, choices=CATEGORY_CHOICES)
    title = models.CharField(max_length=200, blank=True)
    description = models.TextField(help_text="As the citizen wrote it; staff only.")
    public_text = models.TextField(blank=True, help_text="What the public reads (moderated).")
    address_text = models.CharField(max_length=300, blank=True, help_text="As given; staff only.")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    rejection = models.CharField(max_length=12, choices=Rejection.choices, blank=True)
    agency = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": Facility.Kind.AGENCY},
        related_name="reports",
    )
    # RESTRICT, not PROTECT: a merged report and its main one may be deleted together.
    merged_into = models.ForeignKey(
        "self", on_delete=models.RESTRICT, null=True, blank=True, related_name="merged"
    )
    received_at = models.DateTimeField()
    call_at = models.DateTimeField(null=True, blank=True, help_text="1022: when the call came.")
    verified_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True, help_text="Last working day (Vietnam).")
    extensions = models.PositiveSmallIntegerField(default=0)
    result = models.TextField(blank=True, help_text="Kết quả xử lý; public once published.")
    anonymous = models.BooleanField(default=True, help_text="Hidden from the public either way.")
    reporter_name = models.CharField(max_length=120, blank=True)
    reporter_phone = models.CharField(max_length=20, blank=True)
    reporter_email = models.CharField(max_length=200, blank=True)
    receipt_hash = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the receipt's secret: who may rate."
    )
    followers = models.PositiveIntegerField(default=0, help_text="Citizens who said 'mine too'.")
    satisfied = models.BooleanField(null=True, blank=True, help_text="The citizen's rating.")
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta(SourcedRecord.Meta):
        indexes = [
            models.Index(fields=["received_at"]),
            models.Index(fields=["unit", "received_at"]),
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["category", "status"]),
            models.Index(
                fields=["ticket"], opclasses=["varchar_pattern_ops"], name="report_ticket_prefix"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} ({self.category}, {self.status})"


class ReportEvent(models.Model):
    """One change of a report: who, when, from → to, a note; `public` steps show on tracking."""

    class Action(models.TextChoices):
        RECEIVE = "receive", "Tiếp nhận / Received"
        VERIFY = "verify", "Xác minh / Verified"
        REJECT = "reject", "Từ chối / Rejected"
        ASSIGN = "assign", "Chuyển xử lý / Forwarded"
        REASSIGN = "reassign", "Chuyển lại / Reassigned"
        START = "start", "Bắt đầu xử lý / Work started"
        RESOLVE = "resolve", "Có kết quả / Resolved"
        PUBLISH = "publish", "Công khai kết quả / Result published"
        CLOSE = "close", "Đóng / Closed"
        EXTEND = "extend", "Gia hạn / Deadline extended"
        MERGE = "merge", "Gộp / Merged"
        RATE = "rate", "Đánh giá / Rated"
        MODERATE = "moderate", "Kiểm duyệt / Moderated"
        FOLLOW = "follow", "Theo dõi thêm / Followed"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=120, blank=True, help_text="e.g. Công dân, 1022")
    action = models.CharField(max_length=10, choices=Action.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    agency = models.ForeignKey(
        Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="Staff note; the public reads it only if public.")
    public = models.BooleanField(default=False)

    class Meta:
        ordering = ["report_id", "at", "id"]
        indexes = [models.Index(fields=["report", "at"])]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class ReportMedia(models.Model):
    """A photo or video of a report (stage `report`) or of its result (`result`).

    Files live outside the static root under random names (`file`, `thumb`, relative to the
    media directory). A hidden item is never served to the public; a blurred one serves
    `public_file` to the public and keeps `file` for staff.
    """

    class Kind(models.TextChoices):
        PHOTO = "photo", "Ảnh / Photo"
        VIDEO = "video", "Video"

    class Stage(models.TextChoices):
        REPORT = "report", "Khi phản ánh / With the report"
        RESULT = "result", "Kết quả / Result"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    stage = models.CharField(max_length=6, choices=Stage.choices, default=Stage.REPORT)
    file = models.CharField(max_length=120, unique=True)
    thumb = models.CharField(max_length=120, blank=True)
    public_file = models.CharField(max_length=120, blank=True, help_text="Blurred copy.")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report_id", "stage", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.file}"


@receiver(post_delete, sender=ReportMedia)
def _media_files_delete(sender: type, instance: ReportMedia, **kwargs: object) -> None:
    """A deleted item's files go when its deletion commits (a demo reloaded, a report purged);
    its names are random, so they are its own whatever database shares the folder."""
    from gisioc.feedback.media import media_path

    names = [n for n in (instance.file, instance.thumb, instance.public_file) if n]

    def unlink() -> None:
        for name in names:
            media_path(name).unlink(missing_ok=True)

    transaction.on_commit(unlink)


class RoutingRule(models.Model):
    """Which agency handles a category in a commune (any commune when `unit` is empty).

    The most specific rule wins: one for the report's commune before one for any commune."""

    category = models.CharField(max_length=24, choices=CATEGORY_CHOICES)
    unit = models.ForeignKey(
        AdminUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": Facility.Kind.AGENCY},
        related_name="+",
    )

    class Meta:
        ordering = ["category", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "unit"], name="routing_rule_unique"),
            models.UniqueConstraint(
                fields=["category"], condition=models.Q(unit__isnull=True), name="routing_rule_any"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} @ {self.unit_id or '*'} → {self.agency_id}"


class AgencyMember(models.Model):
    """A staff user who works for an agency: their queue is its reports."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_member"
    )
    agency = models.ForeignKey(
        Facility,
        on_delete=models.CASCADE,
        limit_choices_to={"kind": Facility.Kind.AGENCY},
        related_name="members",
    )

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.agency_id}"


from gisioc.feedback.stats import *  # noqa: E402, F403
