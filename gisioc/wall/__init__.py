"""Wall mode: the operations room's large screen, opened by a read-only kiosk token."""
