import pg from "pg";
import { extractInvoice } from "./extractInvoice.js";

const pool = new pg.Pool({ connectionString: process.env.AP_DATABASE_URL });

interface PendingDocument {
  id: string;
  ocr_text: string;
}

async function processPending(limit = 100): Promise<number> {
  const { rows } = await pool.query<PendingDocument>(
    `SELECT id, ocr_text FROM ap_documents
      WHERE status = 'ocr_done' ORDER BY received_at LIMIT $1`,
    [limit],
  );

  for (const doc of rows) {
    const invoice = await extractInvoice(doc.ocr_text);

    await pool.query(
      `INSERT INTO ap_invoices (document_id, supplier, invoice_number, invoice_date,
                                currency, total, lines)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        doc.id,
        invoice.supplierName,
        invoice.invoiceNumber,
        invoice.invoiceDate,
        invoice.currency,
        invoice.total.toFixed(2),
        JSON.stringify(invoice.lines),
      ],
    );
    await pool.query(`UPDATE ap_documents SET status = 'extracted' WHERE id = $1`, [doc.id]);
    console.log(`extracted ${invoice.invoiceNumber} from ${invoice.supplierName}`);
  }
  return rows.length;
}

const count = await processPending();
console.log(`processed ${count} documents`);
await pool.end();
