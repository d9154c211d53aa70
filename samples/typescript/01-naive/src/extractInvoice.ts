import OpenAI from "openai";

const client = new OpenAI();

export interface InvoiceLine {
  description: string;
  quantity: number;
  unitPrice: number;
  amount: number;
}

export interface Invoice {
  supplierName: string;
  supplierVatId: string | null;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string | null;
  currency: string;
  subtotal: number;
  taxTotal: number;
  total: number;
  lines: InvoiceLine[];
}

const SYSTEM_PROMPT = `You extract supplier invoices for an accounts-payable team.
Return one JSON object with keys supplierName, supplierVatId, invoiceNumber,
invoiceDate (YYYY-MM-DD), dueDate (YYYY-MM-DD or null), currency (ISO 4217),
subtotal, taxTotal, total and lines [{description, quantity, unitPrice, amount}].
Numbers must be JSON numbers. Output the JSON object only.`;

export async function extractInvoice(ocrText: string): Promise<Invoice> {
  const completion = await client.chat.completions.create({
    model: "gpt-4o-mini",
    response_format: { type: "json_object" },
    messages: [
      { role: "system", content: SYSTEM_PROMPT },
      { role: "user", content: ocrText },
    ],
  });

  return JSON.parse(completion.choices[0].message.content!) as Invoice;
}
