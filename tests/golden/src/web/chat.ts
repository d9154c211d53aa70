import OpenAI from "openai";
import { trace } from "@opentelemetry/api";

const openai = new OpenAI({ timeout: 30_000 });
const tracer = trace.getTracer("chat");

export async function answer(question: string): Promise<string> {
  return tracer.startActiveSpan("llm.answer", async (span) => {
    const stream = await openai.chat.completions.create({
      model: "gpt-4o",
      stream: true,
      messages: [{ role: "user", content: question }],
    });
    let text = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
    }
    span.end();
    return text;
  });
}
