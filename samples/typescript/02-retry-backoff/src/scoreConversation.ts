import Anthropic from "@anthropic-ai/sdk";
import pRetry, { AbortError } from "p-retry";

// p-retry owns retries; the SDK's own retry loop is switched off so attempts are not multiplied.
const anthropic = new Anthropic({ timeout: 30_000, maxRetries: 0 });

export interface ChurnAssessment {
  riskScore: number; // 0-100
  drivers: string[];
  competitorMentioned: string | null;
  recommendedPlay: "none" | "csm-call" | "discount-offer" | "exec-escalation";
  rationale: string;
}

const SYSTEM_PROMPT = `You are a customer-success analyst. Read the support conversation and
assess how likely the account is to churn in the next 90 days. Respond with a JSON object:
{"riskScore": 0-100, "drivers": string[], "competitorMentioned": string|null,
 "recommendedPlay": "none"|"csm-call"|"discount-offer"|"exec-escalation", "rationale": string}.
Output JSON only.`;

function isPermanent(error: unknown): boolean {
  return (
    error instanceof Anthropic.BadRequestError ||
    error instanceof Anthropic.AuthenticationError ||
    error instanceof Anthropic.PermissionDeniedError
  );
}

export async function scoreConversation(accountName: string, transcript: string): Promise<ChurnAssessment> {
  const response = await pRetry(
    async () => {
      try {
        return await anthropic.messages.create({
          model: "claude-sonnet-4-20250514",
          max_tokens: 1024,
          system: SYSTEM_PROMPT,
          messages: [{ role: "user", content: `Account: ${accountName}\n\n${transcript}` }],
        });
      } catch (error) {
        if (isPermanent(error)) throw new AbortError(error as Error);
        throw error;
      }
    },
    {
      retries: 4,
      factor: 2,
      randomize: true,
      minTimeout: 1_000,
      maxTimeout: 30_000,
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        console.warn(`churn scoring attempt ${attemptNumber} failed (${error.message}); ${retriesLeft} left`);
      },
    },
  );

  const text = (response.content[0] as Anthropic.TextBlock).text;
  return JSON.parse(text) as ChurnAssessment;
}
