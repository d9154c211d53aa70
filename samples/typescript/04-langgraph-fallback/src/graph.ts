import { ChatAnthropic } from "@langchain/anthropic";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { ChatOpenAI } from "@langchain/openai";
import { ZodError } from "zod";
import { EXTRACTION_PROMPT, IncompleteResponseError, Invoice } from "./schema.js";

const primaryModel = new ChatAnthropic({ model: "claude-sonnet-4-20250514", maxTokens: 2048, maxRetries: 2 });
const fallbackModel = new ChatOpenAI({ model: "gpt-4o-mini", maxTokens: 2048, timeout: 30_000, maxRetries: 2 });

const ExtractionState = Annotation.Root({
  ocrText: Annotation<string>,
  raw: Annotation<string | undefined>,
  provider: Annotation<"anthropic" | "openai" | undefined>,
  error: Annotation<string | undefined>,
  invoice: Annotation<Invoice | undefined>,
});
type State = typeof ExtractionState.State;
type Update = typeof ExtractionState.Update;

const prompt = (ocrText: string) => [new SystemMessage(EXTRACTION_PROMPT), new HumanMessage(ocrText)];

async function callPrimary(state: State): Promise<Update> {
  try {
    const msg = await primaryModel.invoke(prompt(state.ocrText), { timeout: 30_000 });
    const stopReason = msg.response_metadata.stop_reason;
    if (stopReason !== "end_turn") {
      return { provider: "anthropic", error: `primary incomplete: stop_reason=${stopReason}` };
    }
    return { provider: "anthropic", raw: msg.text, error: undefined };
  } catch (err) {
    return { provider: "anthropic", error: `primary failed: ${(err as Error).message}` };
  }
}

async function callFallback(state: State): Promise<Update> {
  const msg = await fallbackModel.invoke(prompt(state.ocrText));
  const finishReason = msg.response_metadata.finish_reason;
  if (finishReason !== "stop") {
    throw new IncompleteResponseError(`fallback stopped with finish_reason=${finishReason}`);
  }
  return { provider: "openai", raw: msg.text, error: undefined };
}

async function validate(state: State): Promise<Update> {
  const raw = (state.raw ?? "").replace(/^```(?:json)?\s*|\s*```$/g, "");
  try {
    return { invoice: Invoice.parse(JSON.parse(raw)), error: undefined };
  } catch (err) {
    if (state.provider === "anthropic" && (err instanceof ZodError || err instanceof SyntaxError)) {
      return { error: `primary output rejected: ${err.message.slice(0, 200)}` };
    }
    throw err;
  }
}

const routeAfterPrimary = (state: State) => (state.error ? "callFallback" : "validate");
const routeAfterValidate = (state: State) => (state.error ? "callFallback" : END);

export const extractionGraph = new StateGraph(ExtractionState)
  .addNode("callPrimary", callPrimary)
  .addNode("callFallback", callFallback)
  .addNode("validate", validate)
  .addEdge(START, "callPrimary")
  .addConditionalEdges("callPrimary", routeAfterPrimary, ["callFallback", "validate"])
  .addEdge("callFallback", "validate")
  .addConditionalEdges("validate", routeAfterValidate, ["callFallback", END])
  .compile();

export async function extractInvoice(ocrText: string): Promise<Invoice> {
  const final = await extractionGraph.invoke({ ocrText });
  console.info(`invoice ${final.invoice!.invoiceNumber} extracted by ${final.provider}`);
  return final.invoice!;
}
