"""Provider wrappers. Each one is traced, time-boxed, retried with jitter, breaker-guarded and
returns only a complete, schema-valid TicketSummary."""

import anthropic
import openai
import pybreaker
from opentelemetry import trace
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from schemas import SUMMARY_INSTRUCTIONS, IncompleteResponse, TicketSummary

tracer = trace.get_tracer("ticket-summarizer")

# Explicit deadlines; SDK retries are off so tenacity is the single, bounded retry loop.
claude = anthropic.Anthropic(timeout=20.0, max_retries=0)
gpt = openai.OpenAI(timeout=20.0, max_retries=0)

claude_breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=60, name="anthropic")
gpt_breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=60, name="openai")

# Only transient failures are retried; bad requests, truncation and schema errors are not.
TRANSIENT = (
    anthropic.APIConnectionError,
    anthropic.RateLimitError,
    anthropic.InternalServerError,
    openai.APIConnectionError,
    openai.RateLimitError,
    openai.InternalServerError,
)


@claude_breaker
@retry(
    stop=stop_after_attempt(3),
    wait=wait_random_exponential(multiplier=0.5, max=8),
    retry=retry_if_exception_type(TRANSIENT),
    reraise=True,
)
def ask_claude(ticket_text: str) -> TicketSummary:
    with tracer.start_as_current_span("llm.call") as span:
        span.set_attribute("gen_ai.system", "anthropic")
        span.set_attribute("gen_ai.request.model", "claude-sonnet-4-20250514")
        response = claude.messages.create(
            model="claude-sonnet-4-20250514",
            max_tokens=1024,
            system=SUMMARY_INSTRUCTIONS,
            messages=[{"role": "user", "content": ticket_text}],
        )
        span.set_attribute("gen_ai.response.finish_reasons", [str(response.stop_reason)])
        span.set_attribute("gen_ai.usage.output_tokens", response.usage.output_tokens)
        if response.stop_reason == "max_tokens":
            raise IncompleteResponse(
                f"claude stopped at max_tokens after {response.usage.output_tokens} tokens"
            )
        return TicketSummary.model_validate_json(response.content[0].text)


@gpt_breaker
@retry(
    stop=stop_after_attempt(3),
    wait=wait_random_exponential(multiplier=0.5, max=8),
    retry=retry_if_exception_type(TRANSIENT),
    reraise=True,
)
def ask_gpt(ticket_text: str) -> TicketSummary:
    with tracer.start_as_current_span("llm.call") as span:
        span.set_attribute("gen_ai.system", "openai")
        span.set_attribute("gen_ai.request.model", "gpt-4o-mini")
        completion = gpt.chat.completions.create(
            model="gpt-4o-mini",
            response_format={"type": "json_object"},
            max_completion_tokens=1024,
            messages=[
                {"role": "system", "content": SUMMARY_INSTRUCTIONS},
                {"role": "user", "content": ticket_text},
            ],
        )
        choice = completion.choices[0]
        span.set_attribute("gen_ai.response.finish_reasons", [choice.finish_reason])
        if choice.finish_reason != "stop":
            raise IncompleteResponse(f"gpt stopped with finish_reason={choice.finish_reason}")
        return TicketSummary.model_validate_json(choice.message.content or "")
