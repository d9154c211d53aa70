"""S3-triggered Lambda: a new OCR result lands in the bucket, the extracted invoice goes to AP."""

import json
import logging
import os

import boto3

from extractor import extract_invoice, to_payable

log = logging.getLogger("invoice-extractor")
log.setLevel(logging.INFO)

s3 = boto3.client("s3")
sqs = boto3.client("sqs")
PAYABLES_QUEUE_URL = os.environ["PAYABLES_QUEUE_URL"]


def lambda_handler(event, context):
    processed = []
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = record["s3"]["object"]["key"]
        ocr_text = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")

        invoice = extract_invoice(ocr_text)
        payable = to_payable(invoice, document_id=key)

        # Sent once, after the retried extraction has succeeded.
        sqs.send_message(
            QueueUrl=PAYABLES_QUEUE_URL,
            MessageBody=json.dumps(payable),
            MessageGroupId=payable["vendor"],
            MessageDeduplicationId=key,
        )
        log.info("queued invoice %s from %s (%s %s)", payable["reference"], payable["vendor"],
                 payable["amount_total"], payable["currency"])
        processed.append(key)
    return {"processed": processed}
