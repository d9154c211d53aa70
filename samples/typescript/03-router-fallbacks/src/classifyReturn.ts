import OpenAI from "openai";

// All model traffic goes through the shared LiteLLM proxy, which owns routing and fallbacks.
const llm = new OpenAI({
  baseURL: "http://litellm-proxy:4000/v1",
  apiKey: process.env.LITELLM_API_KEY,
  timeout: 30_000,
  maxRetries: 2,
});

export type ReturnReason =
  | "damaged-in-transit"
  | "wrong-item"
  | "not-as-described"
  | "changed-mind"
  | "warranty-defect";

export interface ReturnDecision {
  reason: ReturnReason;
  eligibleForInstantRefund: boolean;
  requiresPhotoEvidence: boolean;
  disposition: "restock" | "refurbish" | "liquidate" | "return-to-vendor";
  customerMessage: string;
}

const POLICY_PROMPT = `You classify e-commerce return requests under this policy:
- damaged-in-transit and wrong-item are refunded instantly, no photos needed;
- not-as-described and warranty-defect need photo evidence;
- changed-mind is accepted within 30 days for unopened items only.
Reply with JSON: {"reason", "eligibleForInstantRefund", "requiresPhotoEvidence",
"disposition" ("restock"|"refurbish"|"liquidate"|"return-to-vendor"), "customerMessage"}.`;

export async function classifyReturn(request: {
  orderId: string;
  sku: string;
  daysSinceDelivery: number;
  opened: boolean;
  customerText: string;
}): Promise<ReturnDecision> {
  const completion = await llm.chat.completions.create({
    model: "gpt-4o",
    response_format: { type: "json_object" },
    max_tokens: 500,
    messages: [
      { role: "system", content: POLICY_PROMPT },
      {
        role: "user",
        content:
          `Order ${request.orderId}, SKU ${request.sku}, delivered ${request.daysSinceDelivery} days ago, ` +
          `${request.opened ? "opened" : "unopened"}.\nCustomer says: ${request.customerText}`,
      },
    ],
  });

  return JSON.parse(completion.choices[0].message.content ?? "{}") as ReturnDecision;
}
