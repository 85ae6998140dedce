"""The dossier KPIs' rollup (gisioc.kpi_rollup): counters per commune × Vietnam day (and per
office, field and procedure), and each figure of gisioc/public_services/kpis.py made of them
by the same rules:

- received, online, paid online, supplements, cancelled: on the day received;
- finished, early (an earlier Vietnam day than the due day), late (gisioc_dossier_late),
  the seconds from receipt to finishing: on the day finished; returned on its day;
- carried over = live received before the period − live finished before it;
- in progress at the cut = live received before the cut − live finished before it;
- past due at the cut = live records with a due time counted on the day of the later of
  receipt and due, less those finished, on the day of the later of due and finishing.
"""

from gisioc.kpi_rollup import Counter, Key, Mean, Rollup, Term

LIVE = "d.status <> 'cancelled'"
VN = "'Asia/Ho_Chi_Minh'"
DUE = "greatest(d.received_at, d.due_at)"
DUE_DONE = "greatest(d.due_at, d.finished_at)"

ROLLUP = Rollup(
    table="gisioc_dossier_rollup",
    records="public_services_dossier",
    counters=(
        Counter("received", "d.received_at"),
        Counter("online", "d.received_at", "d.channel = 'truc_tuyen'"),
        Counter("online_payment", "d.received_at", "d.online_payment"),
        Counter("supplements", "d.received_at", "d.supplement_count > 0"),
        Counter("cancelled", "d.received_at", "d.status = 'cancelled'"),
        Counter("live_received", "d.received_at", LIVE),
        Counter("finished", "d.finished_at"),
        Counter(
            "early",
            "d.finished_at",
            f"(d.finished_at AT TIME ZONE {VN})::date < (d.due_at AT TIME ZONE {VN})::date",
        ),
        Counter(
            "late", "d.finished_at", "coalesce(gisioc_dossier_late(d.finished_at, d.due_at), false)"
        ),
        Counter(
            "days_us",
            "d.finished_at",
            value="round(extract(epoch FROM (d.finished_at - d.received_at)) * 1000000)",
        ),
        Counter("live_finished", "d.finished_at", LIVE),
        Counter("returned", "d.returned_at"),
        # greatest() skips NULLs: a record without a due time (or not finished) is not one
        Counter("live_due", DUE, f"{LIVE} AND d.due_at IS NOT NULL"),
        Counter(
            "live_due_done",
            DUE_DONE,
            f"{LIVE} AND d.due_at IS NOT NULL AND d.finished_at IS NOT NULL",
        ),
    ),
    figures={
        "received": (Term("received"),),
        "carried_over": (
            Term("live_received", "before_start"),
            Term("live_finished", "before_start", -1),
        ),
        "finished": (Term("finished"),),
        "early": (Term("early"),),
        "late": (Term("late"),),
        "in_progress": (
            Term("live_received", "before_cut"),
            Term("live_finished", "before_cut", -1),
        ),
        "in_progress_past_due": (
            Term("live_due", "before_cut"),
            Term("live_due_done", "before_cut", -1),
        ),
        "avg_days": Mean("days_us", "finished"),
        "supplements": (Term("supplements"),),
        "returned": (Term("returned"),),
        "online": (Term("online"),),
        "online_payment": (Term("online_payment"),),
        "cancelled": (Term("cancelled"),),
    },
    keys=(Key("office_id", "bigint"), Key("field"), Key("procedure_code"), Key("procedure_name")),
    filters={
        "office": "{a}.office_id IN (SELECT f.id FROM geo_facility f WHERE f.code = %s)",
        "field": "{a}.field = %s",
        "procedure": "{a}.procedure_code = %s",
    },
    groups={
        "office": ("office_id", "(SELECT f.name FROM geo_facility f WHERE f.id = x.office_id)"),
        "unit": ("unit_id", "(SELECT u.name FROM geo_adminunit u WHERE u.id = x.unit_id)"),
        "field": ("field", "max(x.field)"),
        "procedure": ("procedure_code", "max(x.procedure_name)"),
    },
)
