"""The demo's wall screen: the district's four views, with a token fixed in demo mode only."""

from gisioc.wall.models import WallScreen
from gisioc.wall.selectors import token_digest
from gisioc.wall.services import DEFAULT_VIEWS, demo_token, views_clean

DEMO_WALL = "Phòng điều hành Duy Xuyên"


def wall_demo_load() -> str:
    """Create or reset the demo wall (idempotent); its kiosk token."""
    token = demo_token(DEMO_WALL)
    WallScreen.objects.update_or_create(
        name=DEMO_WALL,
        defaults={
            "token_hash": token_digest(token),
            "views": views_clean(DEFAULT_VIEWS),
            "rotate_s": 30,
            "enabled": True,
        },
    )
    return token
