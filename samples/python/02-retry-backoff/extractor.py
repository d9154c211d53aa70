"""Pull header fields and line items out of supplier invoices (OCR text) for accounts payable."""

import json
import logging

from openai import OpenAI
from tenacity import before_sleep_log, retry, stop_after_attempt, wait_random_exponential

log = logging.getLogger("invoice-extractor")

# The SDK's own retries are turned off so tenacity is the only retry loop.
client = OpenAI(timeout=30.0, max_retries=0)

EXTRACTION_PROMPT = """Extract the invoice below into JSON with exactly these keys:
  supplier_name, supplier_vat_id, invoice_number, invoice_date (YYYY-MM-DD),
  due_date (YYYY-MM-DD or null), currency (ISO 4217), subtotal, tax_total, total,
  line_items: [{description, quantity, unit_price, amount}]
Amounts are numbers, not strings. Use null for anything that is not on the invoice.
Answer with the JSON object only."""


@retry(
    stop=stop_after_attempt(4),
    wait=wait_random_exponential(multiplier=1, max=30),
    before_sleep=before_sleep_log(log, logging.WARNING),
    reraise=True,
)
def extract_invoice(ocr_text: str) -> dict:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        response_format={"type": "json_object"},
        messages=[
            {"role": "system", "content": EXTRACTION_PROMPT},
            {"role": "user", "content": ocr_text},
        ],
    )
    return json.loads(completion.choices[0].message.content)


def to_payable(invoice: dict, document_id: str) -> dict:
    """Shape the extracted invoice for the AP ledger import."""
    return {
        "document_id": document_id,
        "vendor": invoice["supplier_name"],
        "vendor_tax_id": invoice.get("supplier_vat_id"),
        "reference": invoice["invoice_number"],
        "issued_on": invoice["invoice_date"],
        "due_on": invoice.get("due_date"),
        "currency": invoice["currency"],
        "amount_total": round(float(invoice["total"]), 2),
        "lines": [
            {"text": item["description"], "qty": item["quantity"], "amount": item["amount"]}
            for item in invoice["line_items"]
        ],
    }
