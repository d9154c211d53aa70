import { LRUCache } from "lru-cache";
import { claudeBreaker, gptBreaker } from "./providers.js";
import { staticSummary, type TicketSummary } from "./schema.js";

// Last good summary per ticket, served (marked stale) when every provider is down.
const lastGood = new LRUCache<string, TicketSummary>({ max: 50_000, ttl: 24 * 3600 * 1000 });

export async function summarizeTicket(ticketId: string, ticketText: string): Promise<TicketSummary> {
  let summary: TicketSummary;
  try {
    summary = await claudeBreaker.fire(ticketText);
  } catch (primaryErr) {
    console.warn(`claude unavailable for ticket ${ticketId}: ${(primaryErr as Error).message}; trying gpt`);
    try {
      summary = await gptBreaker.fire(ticketText);
    } catch (fallbackErr) {
      console.error(`all providers failed for ticket ${ticketId}: ${(fallbackErr as Error).message}`);
      return degradedSummary(ticketId, ticketText);
    }
  }
  lastGood.set(ticketId, summary);
  return summary;
}

function degradedSummary(ticketId: string, ticketText: string): TicketSummary {
  const cached = lastGood.get(ticketId);
  if (cached) return { ...cached, stale: true };
  return staticSummary(ticketText);
}

export async function summarizeBacklog(tickets: { id: string; text: string }[]): Promise<Map<string, TicketSummary>> {
  const results = new Map<string, TicketSummary>();
  for (const ticket of tickets) {
    results.set(ticket.id, await summarizeTicket(ticket.id, ticket.text));
  }
  const degraded = [...results.values()].filter((s) => s.needsHuman).length;
  if (degraded > 0) console.warn(`${degraded}/${tickets.length} tickets got a static summary`);
  return results;
}
