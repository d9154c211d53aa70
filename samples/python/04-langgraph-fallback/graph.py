"""Triage graph: Claude first, GPT-4o-mini when Claude fails, stops early or returns bad JSON."""

import logging
from typing import TypedDict

import anthropic
from langchain_anthropic import ChatAnthropic
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from langgraph.graph import END, START, StateGraph
from pydantic import ValidationError

from schemas import TRIAGE_INSTRUCTIONS, IncompleteResponse, InvalidTriage, TriageResult

log = logging.getLogger("triage-graph")

primary_llm = ChatAnthropic(
    model="claude-sonnet-4-20250514", max_tokens=1024, timeout=30.0, max_retries=2
)
fallback_llm = ChatOpenAI(model="gpt-4o-mini", max_tokens=1024, timeout=30.0, max_retries=2)


class TriageState(TypedDict, total=False):
    ticket: str
    raw: str
    provider: str
    error: str | None
    result: TriageResult


def _prompt(ticket: str) -> list:
    return [SystemMessage(content=TRIAGE_INSTRUCTIONS), HumanMessage(content=ticket)]


def call_primary(state: TriageState) -> dict:
    try:
        msg = primary_llm.invoke(_prompt(state["ticket"]))
    except anthropic.APIError as exc:
        log.warning("primary model failed: %r", exc)
        return {"error": f"primary failed: {type(exc).__name__}", "provider": "anthropic"}
    stop_reason = msg.response_metadata.get("stop_reason")
    if stop_reason != "end_turn":
        log.warning("primary answer incomplete: stop_reason=%s", stop_reason)
        return {"error": f"primary incomplete: {stop_reason}", "provider": "anthropic"}
    return {"raw": msg.text, "provider": "anthropic", "error": None}


def call_fallback(state: TriageState) -> dict:
    msg = fallback_llm.invoke(_prompt(state["ticket"]))
    finish_reason = msg.response_metadata.get("finish_reason")
    if finish_reason != "stop":
        raise IncompleteResponse(f"fallback stopped with finish_reason={finish_reason}")
    return {"raw": msg.text, "provider": "openai", "error": None}


def validate(state: TriageState) -> dict:
    raw = state["raw"].strip().removeprefix("```json").removesuffix("```").strip()
    try:
        result = TriageResult.model_validate_json(raw)
    except ValidationError as exc:
        if state["provider"] == "anthropic":
            log.warning("primary output failed validation, re-routing: %s", exc.errors()[:3])
            return {"error": "primary output failed schema validation"}
        raise InvalidTriage(str(exc)) from exc
    return {"result": result, "error": None}


def route_after_primary(state: TriageState) -> str:
    return "call_fallback" if state.get("error") else "validate"


def route_after_validate(state: TriageState) -> str:
    return "call_fallback" if state.get("error") else END


builder = StateGraph(TriageState)
builder.add_node("call_primary", call_primary)
builder.add_node("call_fallback", call_fallback)
builder.add_node("validate", validate)
builder.add_edge(START, "call_primary")
builder.add_conditional_edges("call_primary", route_after_primary, ["call_fallback", "validate"])
builder.add_edge("call_fallback", "validate")
builder.add_conditional_edges("validate", route_after_validate, ["call_fallback", END])
triage_graph = builder.compile()


def triage_ticket(ticket_text: str) -> TriageResult:
    final = triage_graph.invoke({"ticket": ticket_text})
    log.info("triaged by %s: %s/%s", final["provider"], final["result"].category,
             final["result"].priority)
    return final["result"]
