import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { classifyReturn } from "./classifyReturn.js";

const sqs = new SQSClient({});
const REQUESTS_QUEUE = process.env.RETURN_REQUESTS_QUEUE_URL!;
const REFUNDS_QUEUE = process.env.INSTANT_REFUNDS_QUEUE_URL!;
const REVIEW_QUEUE = process.env.RETURNS_REVIEW_QUEUE_URL!;

async function pollOnce(): Promise<void> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: REQUESTS_QUEUE, MaxNumberOfMessages: 10, WaitTimeSeconds: 20 }),
  );

  for (const message of Messages) {
    const request = JSON.parse(message.Body!);
    const decision = await classifyReturn(request);

    const target = decision.eligibleForInstantRefund ? REFUNDS_QUEUE : REVIEW_QUEUE;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: target,
        MessageBody: JSON.stringify({ orderId: request.orderId, sku: request.sku, ...decision }),
      }),
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl: REQUESTS_QUEUE, ReceiptHandle: message.ReceiptHandle! }));
    console.log(`return ${request.orderId}: ${decision.reason} -> ${decision.disposition}`);
  }
}

for (;;) {
  await pollOnce();
}
