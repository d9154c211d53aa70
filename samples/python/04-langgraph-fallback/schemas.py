"""Structured output of the triage graph."""

from typing import Literal

from pydantic import BaseModel, Field


class TriageResult(BaseModel):
    category: Literal["billing", "bug", "how-to", "account", "feature-request"]
    priority: Literal["low", "normal", "high", "urgent"]
    summary: str = Field(min_length=10, max_length=600)
    affected_product: str | None = None
    customer_is_blocked: bool
    suggested_macro: str | None = Field(
        default=None, description="Help-desk macro id the agent should start from"
    )


TRIAGE_INSTRUCTIONS = """You triage support tickets for a payments platform.
Return only a JSON object with the keys: category (billing|bug|how-to|account|feature-request),
priority (low|normal|high|urgent), summary (one or two sentences), affected_product (string or
null), customer_is_blocked (boolean), suggested_macro (string or null). No markdown."""


class IncompleteResponse(RuntimeError):
    """The model stopped before finishing its answer (length limit, refusal, ...)."""


class InvalidTriage(ValueError):
    """No provider produced output that matches TriageResult."""
