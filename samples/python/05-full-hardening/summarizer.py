"""Ticket summaries for the agent console: Claude, then GPT, then the last good answer."""

import logging

import anthropic
import openai
import pybreaker
from cachetools import TTLCache
from pydantic import ValidationError

from providers import ask_claude, ask_gpt
from schemas import IncompleteResponse, TicketSummary

log = logging.getLogger("ticket-summarizer")

PROVIDER_FAILURES = (
    pybreaker.CircuitBreakerError,
    IncompleteResponse,
    ValidationError,
    anthropic.APIError,
    openai.APIError,
)

# Last good summary per ticket, served (marked stale) when every provider is down.
_last_good: TTLCache = TTLCache(maxsize=50_000, ttl=24 * 3600)


def summarize_ticket(ticket_id: str, ticket_text: str) -> TicketSummary:
    try:
        summary = ask_claude(ticket_text)
    except PROVIDER_FAILURES as primary_exc:
        log.warning("claude unavailable for ticket %s: %r; falling back to gpt", ticket_id,
                    primary_exc)
        try:
            summary = ask_gpt(ticket_text)
        except PROVIDER_FAILURES as fallback_exc:
            log.error("all providers failed for ticket %s: %r", ticket_id, fallback_exc)
            return degraded_summary(ticket_id, ticket_text)
    _last_good[ticket_id] = summary
    return summary


def degraded_summary(ticket_id: str, ticket_text: str) -> TicketSummary:
    """Something useful for the agent while the models are unavailable."""
    cached = _last_good.get(ticket_id)
    if cached is not None:
        return cached.model_copy(update={"stale": True})
    first_line = next((line for line in ticket_text.splitlines() if line.strip()), "")
    return TicketSummary(
        summary=f"(automatic summary unavailable) {first_line[:200]}".strip(),
        category="other",
        priority="normal",
        customer_is_blocked=False,
        next_action="Read the ticket in full; automatic triage is temporarily unavailable.",
        stale=True,
        needs_human=True,
    )
