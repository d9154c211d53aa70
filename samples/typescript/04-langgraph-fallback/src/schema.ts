import { z } from "zod";

export const InvoiceLine = z.object({
  description: z.string().min(1),
  quantity: z.number().positive(),
  unitPrice: z.number(),
  amount: z.number(),
});

export const Invoice = z
  .object({
    supplierName: z.string().min(1),
    supplierVatId: z.string().nullable(),
    invoiceNumber: z.string().min(1),
    invoiceDate: z.iso.date(),
    dueDate: z.iso.date().nullable(),
    currency: z.string().length(3),
    subtotal: z.number(),
    taxTotal: z.number(),
    total: z.number(),
    lines: z.array(InvoiceLine).min(1),
  })
  .refine((inv) => Math.abs(inv.subtotal + inv.taxTotal - inv.total) < 0.02, {
    message: "subtotal + taxTotal must equal total",
  });

export type Invoice = z.infer<typeof Invoice>;

export const EXTRACTION_PROMPT = `Extract the supplier invoice below. Return only a JSON object with
keys supplierName, supplierVatId (or null), invoiceNumber, invoiceDate (YYYY-MM-DD), dueDate
(YYYY-MM-DD or null), currency (ISO 4217), subtotal, taxTotal, total and
lines [{description, quantity, unitPrice, amount}]. Numbers are JSON numbers. No markdown.`;

export class IncompleteResponseError extends Error {
  override name = "IncompleteResponseError";
}
