import { z } from "zod";

export const TicketSummary = z.object({
  summary: z.string().min(10).max(800),
  category: z.enum(["billing", "bug", "how-to", "account", "feature-request", "other"]),
  priority: z.enum(["low", "normal", "high", "urgent"]),
  customerIsBlocked: z.boolean(),
  nextAction: z.string().min(5).max(300),
  // Set by the service, never by the model.
  stale: z.boolean().default(false),
  needsHuman: z.boolean().default(false),
});

export type TicketSummary = z.infer<typeof TicketSummary>;

export const SUMMARY_PROMPT = `You summarise customer support tickets for on-call agents.
Return only a JSON object with keys: summary (<= 3 sentences), category (billing|bug|how-to|
account|feature-request|other), priority (low|normal|high|urgent), customerIsBlocked (boolean),
nextAction (one imperative sentence). No markdown, no commentary.`;

/** HTTP 200, but the answer was cut off (length limit, refusal, content filter...). */
export class IncompleteResponseError extends Error {
  override name = "IncompleteResponseError";
}

export function staticSummary(ticketText: string): TicketSummary {
  const firstLine = ticketText.split("\n").find((line) => line.trim()) ?? "";
  return {
    summary: `(automatic summary unavailable) ${firstLine.slice(0, 200)}`.trim(),
    category: "other",
    priority: "normal",
    customerIsBlocked: false,
    nextAction: "Read the ticket in full; automatic triage is temporarily unavailable.",
    stale: true,
    needsHuman: true,
  };
}
