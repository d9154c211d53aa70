"""Nightly job: summarise every open ticket that has no summary yet."""

import json
import logging
import os

import psycopg

from summarizer import summarize_ticket

log = logging.getLogger("ticket-summarizer")

FETCH_OPEN_TICKETS = """
    SELECT t.id, t.subject, t.body, t.plan, t.requester_email,
           COALESCE(json_agg(json_build_object('author', c.author, 'body', c.body))
                    FILTER (WHERE c.id IS NOT NULL), '[]') AS comments
      FROM tickets t
      LEFT JOIN ticket_comments c ON c.ticket_id = t.id
     WHERE t.status = 'open' AND t.summary IS NULL
     GROUP BY t.id
     ORDER BY t.created_at
     LIMIT %s
"""


def run(batch_size: int = 200) -> int:
    done = 0
    with psycopg.connect(os.environ["SUPPORT_DB_URL"]) as conn:
        rows = conn.execute(FETCH_OPEN_TICKETS, (batch_size,)).fetchall()
        for ticket_id, subject, body, plan, email, comments in rows:
            ticket = {"id": ticket_id, "subject": subject, "body": body, "plan": plan,
                      "requester_email": email, "comments": comments}
            summary = summarize_ticket(ticket)
            conn.execute(
                "UPDATE tickets SET summary = %s, category = %s, priority = %s WHERE id = %s",
                (json.dumps(summary), summary["category"], summary["priority"], ticket_id),
            )
            conn.commit()
            done += 1
    log.info("summarised %d tickets", done)
    return done


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    run()
