"""`gisioc sources key-add|list|key-revoke`: API keys with which source systems push batches;
`gisioc sources purge SOURCE`: remove what a source delivered."""

from argparse import ArgumentParser
from typing import Any

from django.utils import timezone

from gisioc.commands import GisiocCommand
from gisioc.ingest.keys import SCHEME, source_key_create, source_key_revoke, source_keys_list
from gisioc.ingest.sources import source_purge


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else "—"


class Command(GisiocCommand):
    help = (
        "Khóa API của các nguồn đẩy dữ liệu — API keys of the sources that push batches "
        "(POST /api/ingest/SYSTEM/batches/)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("key-add", help="Tạo khóa mới (in một lần) — new key, shown once")
        add.add_argument("system", help="e.g. public_services")
        add.add_argument("source", help="Source system instance, e.g. motcua-tinh")
        sub.add_parser("list", help="Các khóa (chỉ tiền tố) — keys, by prefix only")
        revoke = sub.add_parser("key-revoke", help="Thu hồi khóa — revoke a key")
        revoke.add_argument("prefix", help="The key's prefix, as `list` shows it")
        purge = sub.add_parser(
            "purge",
            help="Xóa mọi bản ghi và lượt nhập của một nguồn, dừng lịch kéo — remove a source's "
            "records and runs, stop its pull",
        )
        purge.add_argument("source", help="e.g. motcua-tinh")
        purge.add_argument("--yes", action="store_true", help="Xóa thật — really delete")

    def _key_add(self, opts: dict[str, Any]) -> None:
        row, key = source_key_create(system=opts["system"], source=opts["source"])
        self.stdout.write(f"Khóa mới / new key for {row.system}/{row.source} ({row.prefix}…):")
        self.stdout.write(key)
        self.stdout.write(
            "Chỉ hiện một lần; chỉ lưu mã băm — shown once only; only its hash is stored.\n"
            f"Gửi / send: POST /api/ingest/{row.system}/batches/ với / with header "
            f"'Authorization: {SCHEME} <key>'"
        )

    def _list(self, opts: dict[str, Any]) -> None:
        keys = source_keys_list()
        if not keys:
            self.stdout.write("Chưa có khóa nào — no keys yet.")
            return
        self.stdout.write(
            f"{'tiền tố/prefix':<15} {'hệ thống/system':<18} {'nguồn/source':<20} "
            f"{'trạng thái/state':<20} {'tạo/created':<17} dùng lần cuối/last used"
        )
        for key in keys:
            state = "hiệu lực / active" if key.active else "thu hồi / revoked"
            self.stdout.write(
                f"{key.prefix:<15} {key.system:<18} {key.source:<20} {state:<20} "
                f"{_when(key.created_at):<17} {_when(key.last_used_at)}"
            )

    def _purge(self, opts: dict[str, Any]) -> None:
        found = source_purge(source=opts["source"], apply=opts["yes"])
        if not opts["yes"]:
            self.stdout.write(
                f"Sẽ xóa / would remove {found.summary()}\n"
                "Chưa xóa gì; thêm --yes để xóa — nothing removed; add --yes to remove it."
            )
            return
        self.stdout.write(f"Đã xóa / removed {found.summary()}")
        if found.pulled:
            self.stdout.write(
                f"Đã dừng lịch kéo; `gisioc pull add` đọc lại từ đầu — pull stopped; "
                f"`gisioc pull add {found.system} {found.source} URL` reads it again from the start"
            )

    def _key_revoke(self, opts: dict[str, Any]) -> None:
        key = source_key_revoke(prefix=opts["prefix"])
        self.stdout.write(
            f"Đã thu hồi / revoked {key.prefix}… ({key.system}/{key.source}) "
            f"{_when(key.revoked_at)}"
        )
