//! Turns a list of merged pull requests into release notes with one OpenAI call.
use async_openai::{
    types::{ChatCompletionRequestUserMessageArgs, CreateChatCompletionRequestArgs},
    Client,
};

async fn release_notes(pull_requests: &str) -> anyhow::Result<String> {
    let client = Client::new();
    let request = CreateChatCompletionRequestArgs::default()
        .model("gpt-4o-mini")
        .messages([ChatCompletionRequestUserMessageArgs::default()
            .content(format!("Write release notes for:\n{pull_requests}"))
            .build()?
            .into()])
        .build()?;
    let response = client.chat().create(request).await?;
    Ok(response.choices[0].message.content.clone().unwrap_or_default())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let input = std::fs::read_to_string("merged.txt")?;
    println!("{}", release_notes(&input).await?);
    Ok(())
}
