import Anthropic from "@anthropic-ai/sdk";
import { SpanStatusCode, trace } from "@opentelemetry/api";
import OpenAI from "openai";
import CircuitBreaker from "opossum";
import pRetry from "p-retry";
import { IncompleteResponseError, SUMMARY_PROMPT, TicketSummary } from "./schema.js";

const tracer = trace.getTracer("ticket-summarizer");

// Explicit deadlines; SDK retries are off so p-retry is the single, bounded retry loop.
const anthropic = new Anthropic({ timeout: 15_000, maxRetries: 0 });
const openai = new OpenAI({ timeout: 15_000, maxRetries: 0 });

function isTransient(error: unknown): boolean {
  return (
    error instanceof Anthropic.APIConnectionError ||
    error instanceof Anthropic.RateLimitError ||
    error instanceof Anthropic.InternalServerError ||
    error instanceof OpenAI.APIConnectionError ||
    error instanceof OpenAI.RateLimitError ||
    error instanceof OpenAI.InternalServerError
  );
}

async function askClaude(ticketText: string): Promise<TicketSummary> {
  return tracer.startActiveSpan("llm.call", async (span) => {
    span.setAttributes({ "gen_ai.system": "anthropic", "gen_ai.request.model": "claude-sonnet-4-20250514" });
    try {
      const response = await pRetry(
        () =>
          anthropic.messages.create({
            model: "claude-sonnet-4-20250514",
            max_tokens: 1024,
            system: SUMMARY_PROMPT,
            messages: [{ role: "user", content: ticketText }],
          }),
        { retries: 2, factor: 2, randomize: true, minTimeout: 500, maxTimeout: 4_000, shouldRetry: ({ error }) => isTransient(error) },
      );
      span.setAttribute("gen_ai.response.finish_reasons", [String(response.stop_reason)]);
      if (response.stop_reason === "max_tokens") {
        throw new IncompleteResponseError(`claude stopped at max_tokens (${response.usage.output_tokens} tokens)`);
      }
      const block = response.content[0];
      if (block?.type !== "text") throw new IncompleteResponseError("claude returned no text block");
      return TicketSummary.parse(JSON.parse(block.text));
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}

async function askGpt(ticketText: string): Promise<TicketSummary> {
  return tracer.startActiveSpan("llm.call", async (span) => {
    span.setAttributes({ "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o-mini" });
    try {
      const completion = await pRetry(
        () =>
          openai.chat.completions.create({
            model: "gpt-4o-mini",
            response_format: { type: "json_object" },
            max_completion_tokens: 1024,
            messages: [
              { role: "system", content: SUMMARY_PROMPT },
              { role: "user", content: ticketText },
            ],
          }),
        { retries: 2, factor: 2, randomize: true, minTimeout: 500, maxTimeout: 4_000, shouldRetry: ({ error }) => isTransient(error) },
      );
      const choice = completion.choices[0];
      span.setAttribute("gen_ai.response.finish_reasons", [choice.finish_reason]);
      if (choice.finish_reason !== "stop") {
        throw new IncompleteResponseError(`gpt stopped with finish_reason=${choice.finish_reason}`);
      }
      return TicketSummary.parse(JSON.parse(choice.message.content ?? ""));
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}

export const claudeBreaker = new CircuitBreaker(askClaude, {
  name: "anthropic",
  timeout: 20_000,
  errorThresholdPercentage: 50,
  resetTimeout: 30_000,
  volumeThreshold: 5,
});
export const gptBreaker = new CircuitBreaker(askGpt, {
  name: "openai",
  timeout: 20_000,
  errorThresholdPercentage: 50,
  resetTimeout: 30_000,
  volumeThreshold: 5,
});

for (const breaker of [claudeBreaker, gptBreaker]) {
  breaker.on("open", () => console.warn(`circuit ${breaker.name} opened`));
  breaker.on("halfOpen", () => console.info(`circuit ${breaker.name} half-open, probing`));
}
