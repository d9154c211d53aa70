"""Summarise an inbound support ticket into a structured record for the agent console."""

import json

import anthropic

client = anthropic.Anthropic()

SYSTEM_PROMPT = """You are a support operations assistant for a B2B SaaS company.
Read the customer's ticket and answer with a single JSON object, no prose, with keys:
  "summary":   one or two sentences an agent can read in five seconds,
  "category":  one of "billing", "bug", "how-to", "account", "feature-request",
  "priority":  one of "low", "normal", "high", "urgent",
  "sentiment": one of "angry", "frustrated", "neutral", "happy",
  "next_action": the concrete next step for the agent.
"""


def format_ticket(ticket: dict) -> str:
    lines = [
        f"Ticket #{ticket['id']} from {ticket['requester_email']} (plan: {ticket['plan']})",
        f"Subject: {ticket['subject']}",
        "",
        ticket["body"],
    ]
    for comment in ticket.get("comments", []):
        lines += ["", f"--- reply from {comment['author']} ---", comment["body"]]
    return "\n".join(lines)


def summarize_ticket(ticket: dict) -> dict:
    response = client.messages.create(
        model="claude-sonnet-4-20250514",
        max_tokens=1024,
        system=SYSTEM_PROMPT,
        messages=[{"role": "user", "content": format_ticket(ticket)}],
    )
    summary = json.loads(response.content[0].text)
    summary["ticket_id"] = ticket["id"]
    summary["model"] = response.model
    return summary
