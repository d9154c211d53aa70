//! Release notes from merged pull requests: OpenAI first, Claude on Bedrock when OpenAI fails,
//! both bounded by timeouts; a cut-off answer is refused and the answer is parsed into a typed
//! struct. Spans go to the OpenTelemetry collector.
mod notes;
mod telemetry;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init()?;
    let writer = notes::Writer::new().await?;
    let input = std::fs::read_to_string("merged.txt")?;
    let notes = writer.release_notes(&input).await?;
    println!("{}", notes.summary);
    Ok(())
}
