"""Classify inbound support e-mail and route it to the right team queue."""

import json
import logging
import os

from fastapi import FastAPI
from litellm import Router
from pydantic import BaseModel

log = logging.getLogger("inbox-triage")

router = Router(
    model_list=[
        {
            "model_name": "gpt-4o",
            "litellm_params": {
                "model": "openai/gpt-4o",
                "api_key": os.environ["OPENAI_API_KEY"],
            },
        },
        {
            "model_name": "claude-sonnet",
            "litellm_params": {
                "model": "anthropic/claude-sonnet-4-20250514",
                "api_key": os.environ["ANTHROPIC_API_KEY"],
            },
        },
    ],
    fallbacks=[{"gpt-4o": ["claude-sonnet"]}],
    num_retries=2,
    timeout=30,
    allowed_fails=3,
    cooldown_time=60,
)

TRIAGE_PROMPT = """You triage e-mail sent to support@. Reply with a JSON object:
{"team": "billing" | "technical" | "sales" | "trust-and-safety",
 "urgency": 1-4 (4 = production down),
 "language": ISO 639-1 code,
 "customer_intent": short phrase,
 "suggested_reply": a two-sentence acknowledgement in the customer's language}
Only output the JSON."""

TEAM_QUEUES = {
    "billing": "queue-billing",
    "technical": "queue-tier2",
    "sales": "queue-sales",
    "trust-and-safety": "queue-tns",
}

app = FastAPI()


class InboundEmail(BaseModel):
    message_id: str
    sender: str
    subject: str
    text: str


def classify(email: InboundEmail) -> dict:
    response = router.completion(
        model="gpt-4o",
        messages=[
            {"role": "system", "content": TRIAGE_PROMPT},
            {"role": "user", "content": f"From: {email.sender}\nSubject: {email.subject}\n\n{email.text}"},
        ],
        response_format={"type": "json_object"},
        max_tokens=600,
    )
    return json.loads(response.choices[0].message.content)


@app.post("/inbound")
def inbound(email: InboundEmail) -> dict:
    triage = classify(email)
    queue = TEAM_QUEUES.get(triage["team"], "queue-tier1")
    log.info("routed %s to %s (urgency %s)", email.message_id, queue, triage["urgency"])
    return {
        "message_id": email.message_id,
        "queue": queue,
        "urgency": int(triage["urgency"]),
        "auto_reply": triage["suggested_reply"],
    }
