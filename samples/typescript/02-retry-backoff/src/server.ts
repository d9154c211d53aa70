import Fastify from "fastify";
import { scoreConversation } from "./scoreConversation.js";

interface ConversationClosedEvent {
  accountId: string;
  accountName: string;
  conversationId: string;
  messages: { author: "customer" | "agent"; body: string }[];
}

const app = Fastify({ logger: true });

// Help-desk webhook: fired when a conversation is closed.
app.post<{ Body: ConversationClosedEvent }>("/hooks/conversation-closed", async (request, reply) => {
  const event = request.body;
  const transcript = event.messages
    .map((m) => `${m.author === "customer" ? "Customer" : "Agent"}: ${m.body}`)
    .join("\n");

  const assessment = await scoreConversation(event.accountName, transcript);

  request.log.info(
    { accountId: event.accountId, risk: assessment.riskScore, play: assessment.recommendedPlay },
    "churn risk scored",
  );
  return reply.send({
    accountId: event.accountId,
    conversationId: event.conversationId,
    riskScore: Math.round(assessment.riskScore),
    highRisk: assessment.riskScore >= 70,
    recommendedPlay: assessment.recommendedPlay,
    drivers: assessment.drivers.slice(0, 5),
  });
});

await app.listen({ port: Number(process.env.PORT ?? 8080), host: "0.0.0.0" });
