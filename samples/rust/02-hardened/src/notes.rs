use std::time::Duration;

use anyhow::{bail, Context};
use async_openai::{
    config::OpenAIConfig,
    types::{ChatCompletionRequestUserMessageArgs, CreateChatCompletionRequestArgs, FinishReason},
    Client,
};
use aws_sdk_bedrockruntime::types::{ContentBlock, ConversationRole, Message, StopReason};
use serde::Deserialize;
use tracing::instrument;

const CLAUDE: &str = "anthropic.claude-3-5-haiku-20241022-v1:0";

#[derive(Debug, Deserialize)]
pub struct ReleaseNotes {
    pub summary: String,
    pub breaking_changes: Vec<String>,
}

pub struct Writer {
    openai: Client<OpenAIConfig>,
    bedrock: aws_sdk_bedrockruntime::Client,
}

impl Writer {
    pub async fn new() -> anyhow::Result<Self> {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build()?;
        let openai = Client::with_config(OpenAIConfig::new()).with_http_client(http);
        let config = aws_config::load_from_env().await;
        let bedrock = aws_sdk_bedrockruntime::Client::new(&config);
        Ok(Self { openai, bedrock })
    }

    #[instrument(skip(self, pull_requests))]
    pub async fn release_notes(&self, pull_requests: &str) -> anyhow::Result<ReleaseNotes> {
        let prompt = format!("Release notes as JSON {{summary, breaking_changes}} for:\n{pull_requests}");
        let request = CreateChatCompletionRequestArgs::default()
            .model("gpt-4o-mini")
            .messages([ChatCompletionRequestUserMessageArgs::default().content(prompt.clone()).build()?.into()])
            .build()?;
        let text = match self.openai.chat().create(request).await {
            Ok(response) => {
                let choice = response.choices.first().context("no choices")?;
                if choice.finish_reason == Some(FinishReason::Length) {
                    bail!("release notes were cut off at max_tokens");
                }
                choice.message.content.clone().unwrap_or_default()
            }
            Err(err) => {
                tracing::warn!(%err, "OpenAI failed; asking Claude on Bedrock");
                self.from_bedrock(&prompt).await?
            }
        };
        let notes = serde_json::from_str::<ReleaseNotes>(&text)?;
        Ok(notes)
    }

    #[instrument(skip(self, prompt))]
    async fn from_bedrock(&self, prompt: &str) -> anyhow::Result<String> {
        let message = Message::builder()
            .role(ConversationRole::User)
            .content(ContentBlock::Text(prompt.to_string()))
            .build()?;
        let response = tokio::time::timeout(
            Duration::from_secs(30),
            self.bedrock.converse().model_id(CLAUDE).messages(message).send(),
        )
        .await??;
        if response.stop_reason() == &StopReason::MaxTokens {
            bail!("release notes were cut off at max_tokens");
        }
        let output = response.output().context("no output")?;
        let text = output.as_message().ok().and_then(|m| m.content().first()).and_then(|c| c.as_text().ok());
        Ok(text.cloned().unwrap_or_default())
    }
}
