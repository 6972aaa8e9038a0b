"""A demo PO's own facts: its General Info values, lines and total, in an English or a Portuguese tenant's style.

Values are kept as plain data (ISO dates, floats); the pages write them in the tenant's formats (`mm/dd/y` and
`8,338.00`, or `dd/mm/yy` and `8.338,00`), which is exactly what the app must read back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from core.demo_portal.names import AUTHORS, COST_CENTERS

ENGLISH = "en"
PORTUGUESE = "pt-BR"
STATUSES = {ENGLISH: ("Issued", "Ordered - Sent via Email", "Closed"), PORTUGUESE: ("Emitido", "Enviado", "Fechado")}
PAYMENT_TERMS = {ENGLISH: ("Net 30", "Net 45", "P090"), PORTUGUESE: ("30 dias líquidos", "Líquido 45 dias")}
CURRENCIES = {ENGLISH: ("USD", "EUR"), PORTUGUESE: ("BRL",)}
ITEMS = {
    ENGLISH: ("Toner cartridge, black", "Office paper A4, 80 g", "Consulting services", "Safety gloves (box)"),
    PORTUGUESE: ("Papel A4, 75 g", "Serviços de consultoria", "Cartucho de toner", "Luvas de segurança"),
}


@dataclass(frozen=True)
class DemoLine:
    number: int
    description: str
    quantity: int | None  # None: an amount-based line (no quantity)
    price: float
    total: float
    account: str  # '' shows as "None"


@dataclass(frozen=True)
class DemoFacts:
    locale: str = ENGLISH
    status: str = ""
    order_date: str = ""  # ISO yyyy-mm-dd
    requester: str = ""  # '' shows as "None"
    payment_term: str = ""  # '' means the tenant does not show the field at all
    currency: str = "USD"
    lines: tuple[DemoLine, ...] = ()

    @property
    def total(self) -> float:
        return round(sum(line.total for line in self.lines), 2)


def build_facts(rng: random.Random, index: int, line_count: int) -> DemoFacts:
    """Every fourth PO is in a Portuguese tenant's style; about a third of the lines are amount-based."""
    locale = PORTUGUESE if index % 4 == 1 else ENGLISH
    lines = []
    for number in range(1, line_count + 1):
        cost_center = rng.choice(COST_CENTERS)
        account = f"{rng.randint(1000, 9999)}-{cost_center.split()[0]}" if cost_center else ""
        description = rng.choice(ITEMS[locale])
        if rng.random() < 0.3:
            amount = round(rng.uniform(500, 20_000), 2)
            lines.append(DemoLine(number, description, None, amount, amount, account))
        else:
            quantity, price = rng.randint(1, 1500), round(rng.uniform(0.5, 900), 2)
            lines.append(DemoLine(number, description, quantity, price, round(quantity * price, 2), account))
    order_date = date(rng.choice((2024, 2025)), rng.randint(1, 12), rng.randint(1, 28))
    return DemoFacts(
        locale=locale,
        status=rng.choice(STATUSES[locale]),
        order_date=order_date.isoformat(),
        requester=rng.choice(AUTHORS) if rng.random() < 0.85 else "",
        payment_term=rng.choice(PAYMENT_TERMS[locale]) if rng.random() < 0.8 else "",
        currency=rng.choice(CURRENCIES[locale]),
        lines=tuple(lines),
    )
