"""The `ticket` path converter: a ticket code (PA-2612-7K3QX9), so a report's ticket and the
kit's record id (/api/feedback/reports/{id}/) never take each other's URLs."""

from django.urls import register_converter


class TicketConverter:
    """PA-yymm-XXXXXX, upper case; the alphabet of `services.TICKET_ALPHABET`."""

    regex = r"PA-[0-9]{4}-[2-9A-HJ-NP-Z]{6}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TicketConverter, "ticket")
