"""Output contract of the summarizer and the errors the provider wrappers raise."""

from typing import Literal

from pydantic import BaseModel, Field

SUMMARY_INSTRUCTIONS = """You summarise customer support tickets for on-call agents.
Return only a JSON object with keys: summary (<= 3 sentences), category (billing|bug|how-to|
account|feature-request|other), priority (low|normal|high|urgent), customer_is_blocked (boolean),
next_action (one imperative sentence). No markdown, no commentary."""


class TicketSummary(BaseModel):
    summary: str = Field(min_length=10, max_length=800)
    category: Literal["billing", "bug", "how-to", "account", "feature-request", "other"]
    priority: Literal["low", "normal", "high", "urgent"]
    customer_is_blocked: bool
    next_action: str = Field(min_length=5, max_length=300)

    # Set by the service, never by the model.
    stale: bool = Field(
        default=False, description="Served from cache or a static template, not a fresh answer"
    )
    needs_human: bool = Field(
        default=False, description="No model produced this; an agent must triage by hand"
    )


class IncompleteResponse(RuntimeError):
    """The provider returned HTTP 200 but the answer was cut off (length limit, refusal...)."""
