import anthropic
from anthropic import Anthropic
from openai import OpenAI

claude = Anthropic(timeout=30)
gpt = OpenAI()


def summarize(text: str) -> str:
    msg = claude.messages.create(
        model="claude-sonnet-4-20250514",
        max_tokens=1024,
        messages=[{"role": "user", "content": text}],
    )
    return msg.content[0].text


def summarize_safe(text: str) -> str:
    try:
        res = gpt.chat.completions.create(
            model="gpt-4o-mini",
            messages=[{"role": "user", "content": text}],
        )
        return res.choices[0].message.content
    except Exception:
        return summarize(text)
