"""Made-up names the demo dataset draws from: suppliers, regions, files, authors, notes. No real company data."""

from __future__ import annotations

from core.demo_portal.demo_emails import ATTACHMENT_MSG, HTML_MSG, PLAIN_EML, RELATED_EML, RTF_MSG

SUPPLIERS: tuple[str, ...] = (
    "Northwind Paper Ltd",
    "Contoso Facilities GmbH",
    "Fabrikam Ópticas S.A.",
    "Adventure Works Cycles",
    "Tailspin Toys Inc.",
    "Wide World Importers",
    "Litware Serviços Ltda.",
    "Proseware Büroservice AG",
    "Woodgrove Consulting LLC",
    "Alpine Ski House",
    "Coho Winery S.à r.l.",
    "Lucerne Publishing",
    "Trey Research Labs",
    "Fourth Coffee Company",
    "Wingtip Logística S.A.",
    "Humongous Insurance Brokers",
    "Graphic Design Institute",
    "Southridge Video Productions",
    "Fabrikam Électricité SAS",
    "Contoso Açúcar e Álcool Ltda.",
)

REGIONS: tuple[str, ...] = ("EMEA", "AMER", "APAC", "LATAM", "")
COST_CENTERS: tuple[str, ...] = ("CC-1001 Facilities", "CC-2040 IT", "CC-3300 Marketing", "CC-4100 Legal", "")

# Ordinary names, one per realistic type; a PO draws several of them without repeats. Each e-mail name is one case
# of the e-mail conversion (see demo_emails); in this order the sample spreadsheet's 25 POs hold every case.
ORDINARY_NAMES: tuple[str, ...] = (
    RTF_MSG,
    "Purchase Agreement.docx",
    "Price list 2024.xlsx",
    HTML_MSG,
    PLAIN_EML,
    "Packing slip scan.png",
    "Line items.csv",
    "Technical drawings.zip",
    "Signed_Quote_(v2).pdf",
    RELATED_EML,
    "Budget breakdown.xlsx",
    ATTACHMENT_MSG,
)

LONG_NAME = (
    "Framework agreement for the supply of office paper, toner cartridges and related consumables "
    "including annexes A to F, price schedules, service levels, signed by both parties on the final "
    "page - scanned copy.pdf"
)
TRICKY_NAMES: dict[str, tuple[str, ...]] = {
    "tricky_names_a": ("Signed Quote (v2).pdf", "Orçamento nº 5.pdf", "Quote v2.docx.pdf"),
    "tricky_names_b": (LONG_NAME, "PO scope <A:B> *final*? | draft.pdf", "Budget..2024..final.xlsx"),
}

AUTHORS: tuple[str, ...] = ("Ana Souza", "Jonas Weber", "Priya Nair", "Tomás Ortega", "Mei Lin", "Olivia Brown")
TEXT_NOTES: tuple[str, ...] = (
    "Invoice #1234, Paid Amount: 1,200.00 EUR",
    "Delivery window agreed with site manager: weekdays 8-12h",
    "Supplier confirmed price hold until end of quarter",
)
URL_ATTACHMENTS: tuple[str, ...] = (
    "https://docs.example.com/contracts/4411",
    "https://sharepoint.example.org/sites/procurement/Shared%20Documents/quote.pdf",
)
